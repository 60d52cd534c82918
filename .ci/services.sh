#!/usr/bin/env bash
# Installs, configures and starts the servers the ops function's integration
# tests run against, then writes their connection settings to an env file.
#
#   MariaDB (stand-in for Aurora MySQL 3), TLS-only, with a self-signed CA
#   RabbitMQ with the management plugin (stand-in for Amazon MQ's API)
#
# Contract:
#   - runs as root on a fresh Debian machine with no systemd (CI) or on a
#     machine where it ran before: every step checks before it acts;
#   - listens on 127.0.0.1 only;
#   - exports nothing; writes KEY=value lines to $1 (default
#     build/ci-services.env, relative to the repository root) and prints the
#     keys. A caller does:  set -a; . build/ci-services.env; set +a
#   - exits non-zero if a server does not come up.
# The admin passwords are throwaway values made on each run (and set on the
# servers on each run), so the file is always the truth.
set -euo pipefail
cd "$(dirname "$0")/.."

ENV_FILE="${1:-build/ci-services.env}"
IT_DIR=/etc/mysql/morpheus-it           # MariaDB's TLS material (read by mariadbd)
MYSQL_ADMIN=itadmin
RABBIT_ADMIN=itadmin
export DEBIAN_FRONTEND=noninteractive

log() { printf 'services: %s\n' "$*" >&2; }

wait_for() { # wait_for <seconds> <description> <command...>
  local limit=$1 what=$2 i
  shift 2
  for ((i = 0; i < limit; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  log "timed out after ${limit}s waiting for ${what}"
  return 1
}

install_packages() {
  local missing=()
  for p in mariadb-server mariadb-client rabbitmq-server openssl curl; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    apt-get update -qq
    # policy-rc.d on CI images refuses to start services during install; we start them below.
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# --- MariaDB -----------------------------------------------------------------

make_mysql_certs() {
  mkdir -p "$IT_DIR"
  if [[ -s $IT_DIR/ca.pem && -s $IT_DIR/server-cert.pem && -s $IT_DIR/server-key.pem ]]; then
    return
  fi
  log "creating a test CA and a server certificate for 127.0.0.1/localhost"
  local tmp
  tmp=$(mktemp -d)
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj '/CN=morpheus-ha test CA' \
    -keyout "$tmp/ca-key.pem" -out "$tmp/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj '/CN=localhost' \
    -keyout "$tmp/server-key.pem" -out "$tmp/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$tmp/ext.cnf"
  openssl x509 -req -days 3650 -in "$tmp/server.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca-key.pem" \
    -CAcreateserial -extfile "$tmp/ext.cnf" -out "$tmp/server-cert.pem" 2>/dev/null
  install -o mysql -g mysql -m 0644 "$tmp/ca.pem" "$tmp/server-cert.pem" "$IT_DIR/"
  install -o mysql -g mysql -m 0600 "$tmp/server-key.pem" "$IT_DIR/"
  rm -rf "$tmp"
}

configure_mysql() {
  cat >/etc/mysql/mariadb.conf.d/99-morpheus-it.cnf <<EOF
# Written by morpheus-ha .ci/services.sh: TLS-only on loopback, like Aurora
# with require_secure_transport=ON.
[mariadbd]
bind-address = 127.0.0.1
port = 3306
ssl_ca = $IT_DIR/ca.pem
ssl_cert = $IT_DIR/server-cert.pem
ssl_key = $IT_DIR/server-key.pem
require_secure_transport = ON
EOF
}

mysql_root() { mariadb --protocol=socket -uroot -N -B "$@"; }

mysql_tls_on() { [[ "$(mysql_root -e "SELECT @@have_ssl, @@require_secure_transport")" == $'YES\t1' ]]; }

start_mysql() {
  if mysqladmin --protocol=socket -uroot ping >/dev/null 2>&1; then
    if mysql_tls_on; then
      log "MariaDB already running with TLS"
      return
    fi
    log "MariaDB running without the test TLS settings; restarting it"
    mysqladmin --protocol=socket -uroot shutdown
    wait_for 60 "MariaDB to stop" bash -c '! mysqladmin --protocol=socket -uroot ping'
  fi
  install -d -o mysql -g mysql /run/mysqld
  log "starting MariaDB"
  setsid nohup mysqld_safe --user=mysql >/var/log/morpheus-it-mariadb.log 2>&1 </dev/null &
  wait_for 120 "MariaDB to accept connections" mysqladmin --protocol=socket -uroot ping
  mysql_tls_on || { log "MariaDB started without TLS; see /var/log/morpheus-it-mariadb.log"; return 1; }
}

mysql_admin() { # the stand-in for the RDS master user
  local pw=$1
  mysql_root <<EOF
CREATE USER IF NOT EXISTS '$MYSQL_ADMIN'@'%' IDENTIFIED BY '$pw';
ALTER USER '$MYSQL_ADMIN'@'%' IDENTIFIED BY '$pw';
GRANT ALL PRIVILEGES ON *.* TO '$MYSQL_ADMIN'@'%' WITH GRANT OPTION;
FLUSH PRIVILEGES;
EOF
}

# --- RabbitMQ ----------------------------------------------------------------

configure_rabbit() {
  # A fixed node name does not depend on the machine's hostname resolving.
  local env_conf conf
  env_conf=$'# Written by morpheus-ha .ci/services.sh\nNODENAME=rabbit@localhost\nNODE_IP_ADDRESS=127.0.0.1'
  conf=$'# Written by morpheus-ha .ci/services.sh: management API on loopback only.\nmanagement.tcp.ip = 127.0.0.1\nmanagement.tcp.port = 15672'
  if [[ ! -f /etc/rabbitmq/rabbitmq-env.conf || "$(cat /etc/rabbitmq/rabbitmq-env.conf)" != "$env_conf" ||
        ! -f /etc/rabbitmq/rabbitmq.conf || "$(cat /etc/rabbitmq/rabbitmq.conf)" != "$conf" ]]; then
    # A node started with other settings (say by the package's postinst, under
    # the default node name) would hold the ports: stop it under its old name.
    if rabbitmq-diagnostics -q check_running >/dev/null 2>&1; then
      log "stopping RabbitMQ to apply the test settings"
      rabbitmqctl -q shutdown >/dev/null
    fi
    printf '%s\n' "$env_conf" >/etc/rabbitmq/rabbitmq-env.conf
    printf '%s\n' "$conf" >/etc/rabbitmq/rabbitmq.conf
  fi
  rabbitmq-plugins enable --offline rabbitmq_management >/dev/null
}

rabbit_api_up() { curl -fsS -o /dev/null http://127.0.0.1:15672/api/overview -u "$RABBIT_ADMIN:$1"; }

start_rabbit() {
  if rabbitmq-diagnostics -q check_running >/dev/null 2>&1; then
    log "RabbitMQ already running"
  else
    log "starting RabbitMQ"
    rabbitmq-server -detached
    wait_for 120 "RabbitMQ to boot" rabbitmq-diagnostics -q check_running
  fi
  wait_for 60 "the management listener on 15672" rabbitmq-diagnostics -q check_port_listener 15672
}

rabbit_admin() { # the stand-in for the Amazon MQ broker admin user
  local pw=$1
  if rabbitmqctl -q list_users | awk '{print $1}' | grep -qx "$RABBIT_ADMIN"; then
    rabbitmqctl -q change_password "$RABBIT_ADMIN" "$pw" >/dev/null
  else
    rabbitmqctl -q add_user "$RABBIT_ADMIN" "$pw" >/dev/null
  fi
  rabbitmqctl -q set_user_tags "$RABBIT_ADMIN" administrator >/dev/null
  rabbitmqctl -q set_permissions -p / "$RABBIT_ADMIN" '.*' '.*' '.*' >/dev/null
  wait_for 30 "the management API to accept $RABBIT_ADMIN" rabbit_api_up "$pw"
}

# --- main --------------------------------------------------------------------

if [[ $(id -u) != 0 ]]; then
  log "must run as root"
  exit 1
fi

install_packages

make_mysql_certs
configure_mysql
start_mysql
MYSQL_PW=$(openssl rand -hex 16)
mysql_admin "$MYSQL_PW"

configure_rabbit
start_rabbit
RABBIT_PW=$(openssl rand -hex 16)
rabbit_admin "$RABBIT_PW"

mkdir -p "$(dirname "$ENV_FILE")"
umask 077
cat >"$ENV_FILE" <<EOF
MORPHEUS_IT_MYSQL_ADDR=127.0.0.1:3306
MORPHEUS_IT_MYSQL_USER=$MYSQL_ADMIN
MORPHEUS_IT_MYSQL_PASSWORD=$MYSQL_PW
MORPHEUS_IT_MYSQL_CA_FILE=$IT_DIR/ca.pem
MORPHEUS_IT_RABBIT_URL=http://127.0.0.1:15672
MORPHEUS_IT_RABBIT_USER=$RABBIT_ADMIN
MORPHEUS_IT_RABBIT_PASSWORD=$RABBIT_PW
EOF
log "wrote $ENV_FILE:"
sed 's/PASSWORD=.*/PASSWORD=<redacted>/' "$ENV_FILE" >&2
