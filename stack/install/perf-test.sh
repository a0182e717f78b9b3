#!/usr/bin/env bash
# Fetches RabbitMQ PerfTest (com.rabbitmq:perf-test) and its dependencies from Maven Central into a
# cached folder outside the repository, for the benchmarks (bench/). Prints the folder of jars.
set -euo pipefail
VERSION="${PERF_TEST_VERSION:-2.22.1}"
CACHE="${BROKERLAB_CACHE:-$HOME/.cache/brokerlab}/perf-test/$VERSION"
if [[ -f "$CACHE/libs/.complete" ]]; then echo "$CACHE/libs"; exit 0; fi
command -v mvn >/dev/null || { echo "Maven is required to fetch PerfTest (apt-get install maven)" >&2; exit 1; }
mkdir -p "$CACHE"
# Checkouts share the cache: a second download waits for the first instead of racing it.
if command -v flock >/dev/null; then
  exec 9>"$CACHE/.lock"
  flock -n 9 || { echo "[perf-test] another download is running; waiting for it…" >&2; flock 9; }
  if [[ -f "$CACHE/libs/.complete" ]]; then echo "$CACHE/libs"; exit 0; fi
fi
cat > "$CACHE/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>brokerlab.local</groupId>
  <artifactId>perf-test-jars</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>com.rabbitmq</groupId><artifactId>perf-test</artifactId><version>$VERSION</version></dependency>
  </dependencies>
</project>
POM
echo "[perf-test] fetching com.rabbitmq:perf-test:$VERSION and its dependencies from Maven Central (first time only)…" >&2
rm -rf "$CACHE/libs"
mvn -B -q -f "$CACHE/pom.xml" -DoutputDirectory="$CACHE/libs" -DincludeScope=runtime dependency:copy-dependencies >&2
touch "$CACHE/libs/.complete"
echo "$CACHE/libs"
