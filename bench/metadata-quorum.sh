#!/usr/bin/env bash
# The metadata quorum benchmark (docs/benchmarks.md, section "Metadata quorum").
#
# Builds ratis-metastore with its test classes (offline; no test runs), then starts three voter
# processes on 127.0.0.1 and drives them from a fourth. Arguments are passed on as key=value, e.g.
#   bench/metadata-quorum.sh                       # the full run (~15-20 min on 2 loaded cores)
#   bench/metadata-quorum.sh partitions=0 kills=1  # quick: no 100,000-partition phase
#   bench/metadata-quorum.sh batch=0 inflight=100 partitions=0 total=5000   # group commit off
# The report is printed and written to target/metadata-bench/report.md (work=DIR to change it);
# node logs and GC logs are next to it. jvm="..." adds JVM flags to the three nodes.
set -euo pipefail
cd "$(dirname "$0")/.."
classpath_file="$PWD/ratis-metastore/target/bench.classpath"
./mvnw -B -ntp -o -q -pl ratis-metastore -am -DskipTests package dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"
exec java -Xmx512m \
  -cp "ratis-metastore/target/test-classes:ratis-metastore/target/classes:$(cat "$classpath_file")" \
  io.sluice.metastore.bench.MetadataBench "$@"
