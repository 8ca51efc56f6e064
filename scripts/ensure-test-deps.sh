#!/usr/bin/env bash
# Installs the real parts the test suite runs against, when missing: PostgreSQL, MariaDB, Prometheus,
# promtool, Alertmanager, amtool, Chromium and RabbitMQ from Debian's packages (needs root), and a JDK (javac runs
# the Java group consumer of the KIP-848 test) and
# Maven for the Kafka broker jars. Idempotent and quick when everything is present.
set -euo pipefail

missing=()
have() { command -v "$1" >/dev/null 2>&1; }
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/sbin/mariadbd ] && have mariadb-install-db || missing+=(mariadb-server)
have prometheus || missing+=(prometheus)
have promtool || missing+=(prometheus)
have alertmanager || have prometheus-alertmanager || missing+=(prometheus-alertmanager)
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
    for svc in postgresql mariadb prometheus prometheus-alertmanager rabbitmq-server; do
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

# helm (chart lint/template) and kubeconform (schema validation of the rendered objects) are Go
# modules: built from the Go module proxy into ~/.cache/cqrs-slo/bin when Go is present.
GO_TOOLS_BIN="${HOME}/.cache/cqrs-slo/bin"
go_tool() { # <binary> <module/cmd@version>
  if [ -x "${GO_TOOLS_BIN}/$1" ] || have "$1"; then return 0; fi
  if ! have go; then
    echo "[deps] missing $1 (needs Go to build $2)" >&2
    [ "${CI:-}" = "true" ] && exit 1
    return 0
  fi
  echo "[deps] building $1 from $2"
  mkdir -p "${GO_TOOLS_BIN}"
  GOBIN="${GO_TOOLS_BIN}" go install "$2"
}
go_tool helm helm.sh/helm/v4/cmd/helm@v4.3.2
go_tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform@v0.8.0
