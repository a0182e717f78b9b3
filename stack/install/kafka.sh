#!/usr/bin/env bash
# Fetches the Apache Kafka broker jars (and its perf tools) from Maven Central into a cached folder.
set -euo pipefail
VERSION="${KAFKA_VERSION:-4.3.1}"
LOG4J="${LOG4J_VERSION:-2.26.1}"
CACHE="${BROKERLAB_CACHE:-$HOME/.cache/brokerlab}/kafka/$VERSION"
if [[ -f "$CACHE/libs/.complete" ]]; then echo "$CACHE/libs"; exit 0; fi
command -v mvn >/dev/null || { echo "Maven is required to fetch Kafka (apt-get install maven)" >&2; exit 1; }
mkdir -p "$CACHE"
# Checkouts share the cache: a second download waits for the first instead of racing it.
if command -v flock >/dev/null; then
  exec 9>"$CACHE/.lock"
  flock -n 9 || { echo "[kafka] another download is running; waiting for it…" >&2; flock 9; }
  if [[ -f "$CACHE/libs/.complete" ]]; then echo "$CACHE/libs"; exit 0; fi
fi
cat > "$CACHE/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>brokerlab.local</groupId>
  <artifactId>kafka-jars</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$VERSION</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>$VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>$LOG4J</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>2.0.17</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j2-impl</artifactId><version>$LOG4J</version></dependency>
  </dependencies>
</project>
POM
echo "[kafka] fetching org.apache.kafka:kafka_2.13:$VERSION and its dependencies from Maven Central (first time only)…" >&2
rm -rf "$CACHE/libs"
mvn -B -f "$CACHE/pom.xml" -DoutputDirectory="$CACHE/libs" -DincludeScope=runtime dependency:copy-dependencies >&2
touch "$CACHE/libs/.complete"
echo "$CACHE/libs"
