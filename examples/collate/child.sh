#!/usr/bin/env bash
# One "container" of examples/collate/parent.mjs. It knows nothing of its parent except what
# the environment carries: TRACEPARENT (the parent's span) and OTEL_SERVICE_NAME (its name).
set -u
pod=$1
n=$2
SKEIN=${SKEIN:-skein}
$SKEIN exec --name "$pod: start" -- sleep "0.$((n + 1))"
$SKEIN exec --name "$pod: work" -- bash -c "$SKEIN exec --name '$pod: inject' -- sleep 0.2; $SKEIN exec --name '$pod: verify' -- true"
echo "$pod done"
