# kube2kafka container image: docker build -t kube2kafka .
# Stage 1 builds the bridge module's jar and its runtime dependencies (bridge/target/kube2kafka.jar +
# bridge/target/lib) with Maven; stage 2 runs them on a JRE only, as an unprivileged user. The image
# holds the production runtime only: neither the simulated API server nor the embedded broker.
#
# Maven reads every module the root pom lists, even with -pl, so each module's pom is copied; only
# the modules `-pl bridge -am` builds need their sources. DockerBuildContextTest copies exactly
# what the COPY lines below name (honouring .dockerignore) and runs the build's mvn command offline,
# so a module added to the root pom but not here fails `mvn verify`, not the first `docker build`.

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
# maven.test.skip: the image needs neither the tests nor their compilation (mvn verify runs them).
RUN mvn -B -q -Dmaven.test.skip=true -pl bridge -am package

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --user-group --home-dir /opt/kube2kafka kube2kafka \
    && mkdir -p /var/lib/kube2kafka \
    && chown 10001:10001 /var/lib/kube2kafka
WORKDIR /opt/kube2kafka
COPY --from=build /src/bridge/target/kube2kafka.jar ./
COPY --from=build /src/bridge/target/lib ./lib
COPY config ./config
USER 10001:10001
# In a container the probes and Prometheus come from outside: listen on every interface.
ENV KUBE2KAFKA_HTTP_ADDRESS=0.0.0.0
# The one writable place (the rest of the image is root's, and read-only in deploy/): the embedded
# broker's data, when `run` starts one without kafka.bootstrap-servers.
ENV KUBE2KAFKA_KAFKA_EMBEDDED_DATA_DIR=/var/lib/kube2kafka/kafka
VOLUME /var/lib/kube2kafka
EXPOSE 9400
# exec: java is PID 1 and receives SIGTERM itself, so in-flight events are committed before exit.
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -Dkube2kafka.home=/opt/kube2kafka -jar /opt/kube2kafka/kube2kafka.jar \"$@\"", "kube2kafka"]
CMD ["run"]
