# kube2kafka container image: docker build -t kube2kafka:0.1.0 .
# Stage 1 builds the jar and its runtime dependencies (target/kube2kafka.jar + target/lib) with
# Maven; stage 2 runs them on a JRE only, as an unprivileged user.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# The poms first, so the dependency download is a cached layer that source edits do not invalidate.
COPY pom.xml ./
COPY connector/pom.xml connector/
RUN mvn -B -q -pl connector -am dependency:go-offline
COPY connector/src connector/src
RUN mvn -B -q -DskipTests -pl connector -am package

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /opt/kube2kafka kube2kafka
WORKDIR /opt/kube2kafka
COPY --from=build /src/connector/target/kube2kafka.jar ./
COPY --from=build /src/connector/target/lib ./lib
COPY config ./config
USER 10001
# In a container the probes and Prometheus come from outside: listen on every interface.
ENV KUBE2KAFKA_HTTP_ADDRESS=0.0.0.0
EXPOSE 9400
# exec: java is PID 1 and receives SIGTERM itself, so in-flight events are committed before exit.
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -Dkube2kafka.home=/opt/kube2kafka -jar /opt/kube2kafka/kube2kafka.jar \"$@\"", "kube2kafka"]
CMD ["run"]
