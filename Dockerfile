# kube2kafka container image: docker build -t kube2kafka .
# Stage 1 builds the bridge module's jar and its runtime dependencies (bridge/target/kube2kafka.jar +
# bridge/target/lib) with Maven; stage 2 runs them on a JRE only, as an unprivileged user. The image
# holds the production runtime only: neither the simulated API server nor the embedded broker.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# The poms first, so the dependency download is a cached layer that source edits do not invalidate.
# Maven reads every module's pom, even for -pl.
COPY pom.xml ./
COPY core/pom.xml core/
COPY publish/pom.xml publish/
COPY simulator/pom.xml simulator/
COPY embedded-broker/pom.xml embedded-broker/
COPY testing/pom.xml testing/
COPY bridge/pom.xml bridge/
COPY connect/pom.xml connect/
COPY dev/pom.xml dev/
COPY bench/pom.xml bench/
# The bridge and what its build needs: its production modules, and the test fixtures its test
# dependencies name (built, never copied into the image).
COPY core/src core/src
COPY publish/src publish/src
COPY simulator/src simulator/src
COPY embedded-broker/src embedded-broker/src
COPY testing/src testing/src
COPY bridge/src bridge/src
RUN mvn -B -q -Dmaven.test.skip=true -pl bridge -am package

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /opt/kube2kafka kube2kafka
WORKDIR /opt/kube2kafka
COPY --from=build /src/bridge/target/kube2kafka.jar ./
COPY --from=build /src/bridge/target/lib ./lib
COPY config ./config
USER 10001
# In a container the probes and Prometheus come from outside: listen on every interface.
ENV KUBE2KAFKA_HTTP_ADDRESS=0.0.0.0
EXPOSE 9400
# exec: java is PID 1 and receives SIGTERM itself, so in-flight events are committed before exit.
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -Dkube2kafka.home=/opt/kube2kafka -jar /opt/kube2kafka/kube2kafka.jar \"$@\"", "kube2kafka"]
CMD ["run"]
