#!/usr/bin/env bash
# A CI-style pipeline traced end to end. Every step runs under `skein exec`; steps that run
# steps become parents through TRACEPARENT; a background span with events covers the deploy.
#
#   skein exec --name pipeline --service ci -- bash examples/ci-pipeline/pipeline.sh
#   SKEIN= bash examples/ci-pipeline/pipeline.sh      # the same run without tracing
#
# Output and exit code are the same with and without Skein, and with no backend listening.
set -u
SKEIN=${SKEIN-skein}
export SKEIN

# step NAME CMD...: run CMD as a traced step (plainly when SKEIN is empty)
step() {
  local name=$1
  shift
  if [ -n "$SKEIN" ]; then $SKEIN exec --name "$name" -- "$@"; else "$@"; fi
}
export -f step

# a background span for work the script does across several commands
bg_start() { [ -z "$SKEIN" ] || { OUTER_TRACEPARENT=${TRACEPARENT-}; TRACEPARENT=$($SKEIN span start --name "$1" --attr env=staging); export TRACEPARENT; }; }
bg_event() { [ -z "$SKEIN" ] || $SKEIN span event "$@"; }
bg_end() { [ -z "$SKEIN" ] || { $SKEIN span end "$@"; TRACEPARENT=$OUTER_TRACEPARENT; }; }

step checkout echo "checkout: done"

# three levels: build -> compile -> codegen
step build bash -c '
  step compile bash -c "step codegen echo \"codegen: 12 files\"; echo \"compile: ok\""
  step link echo "link: ok"
'

step unit-tests echo "unit tests: 42 passed"
step integration-tests sh -c 'echo "integration tests: 1 failed"; exit 4'
status=$?

bg_start deploy
bg_event --name "images pushed" --attr images=3
step rollout echo "rollout: web"
bg_event --name "rollout started" --attr replicas=2
bg_end --status ok

echo "pipeline finished with status $status"
exit $status
