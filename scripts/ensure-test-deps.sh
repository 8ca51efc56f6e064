#!/usr/bin/env bash
# Installs the real parts the test suite runs against, when missing: PostgreSQL, Prometheus,
# promtool, Alertmanager, amtool, Chromium and RabbitMQ from Debian's packages (needs root), and a JDK (javac runs
# the Java group consumer of the KIP-848 test) and
# Maven for the Kafka broker jars. Idempotent and quick when everything is present.
set -euo pipefail

missing=()
have() { command -v "$1" >/dev/null 2>&1; }
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
have prometheus || missing+=(prometheus)
have promtool || missing+=(prometheus)
have alertmanager || missing+=(prometheus-alertmanager)
have amtool || missing+=(prometheus-alertmanager)
have chromium || missing+=(chromium)
have java && have javac || missing+=(default-jdk-headless)
have mvn || missing+=(maven)
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)

if [ ${#missing[@]} -gt 0 ]; then
  # shellcheck disable=SC2207
  pkgs=($(printf '%s\n' "${missing[@]}" | sort -u))
  if [ "$(id -u)" = "0" ]; then
    echo "[deps] installing: ${pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
    # Debian starts the services it installs; the tests start their own on free ports.
    for svc in postgresql prometheus prometheus-alertmanager rabbitmq-server; do
      (systemctl stop "$svc" || service "$svc" stop) >/dev/null 2>&1 || true
    done
  else
    echo "[deps] missing (run as root to install): ${pkgs[*]}" >&2
    [ "${CI:-}" = "true" ] && exit 1
  fi
fi

# Kafka broker jars from Maven Central (cached under ~/.cache/cqrs-slo).
if [ -f test/env/kafka-fetch.mjs ]; then
  node test/env/kafka-fetch.mjs
fi
