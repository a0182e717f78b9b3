#!/usr/bin/env bash
# Installs the Python clients that generated Python code imports (pika for RabbitMQ,
# confluent-kafka for Kafka, boto3 for Amazon SQS/SNS/EventBridge, redis for Redis,
# google-cloud-pubsub for Google Cloud Pub/Sub, pybreaker for a requester's circuit breaker), for
# the python3 on the PATH,
# when they are missing. The tests run the generated code for real; pip keeps the wheels in its own
# cache, so a second run is quick.
set -euo pipefail
command -v python3 >/dev/null || { echo "[python] no python3 on the PATH: generated Python code cannot be tested" >&2; exit 1; }
missing=()
python3 -c "import pika" 2>/dev/null || missing+=("pika==1.4.4")
python3 -c "import confluent_kafka" 2>/dev/null || missing+=("confluent-kafka==2.16.1")
python3 -c "import boto3" 2>/dev/null || missing+=("boto3==1.44.5")
python3 -c "import redis" 2>/dev/null || missing+=("redis==8.1.0")
python3 -c "from google.cloud import pubsub_v1" 2>/dev/null || missing+=("google-cloud-pubsub==2.44.0")
python3 -c "import pybreaker" 2>/dev/null || missing+=("pybreaker==1.4.1")
[[ ${#missing[@]} -eq 0 ]] && exit 0
echo "[python] installing: ${missing[*]}…" >&2
# A Python that refuses system-wide installs (PEP 668) takes them for this user.
python3 -m pip install -q --disable-pip-version-check "${missing[@]}" >&2 \
  || python3 -m pip install -q --disable-pip-version-check --user "${missing[@]}" >&2
