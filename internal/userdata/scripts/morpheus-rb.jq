# Renders morpheus.rb. Inputs, all slurped files (see morpheusrb.go):
#   $spec[0]   the keys in file order and where each value comes from
#   $db[0], $mq[0], $search[0]   SecretString JSON {"username": ..., "password": ...}
#   $params[0] the `aws ssm get-parameters` response
# Error messages name secrets and parameters, never a secret value.
# Kept to jq 1.5 (RHEL 8) features.

# A Ruby single-quoted literal: inside '...' only \\ and \' are escapes.
def rq: "'" + (split("\\") | join("\\\\") | split("'") | join("\\'")) + "'";

# Control characters have no business in these values; refuse to write them.
def printable($what):
  if (explode | map(select(. < 32 or . == 127)) | length) > 0
  then error($what + " contains a control character")
  else . end;

def hostname:
  test("^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?([.][A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$");

# The value of parameter $name; $check is "", "host" or "port".
def p($name; $check):
  ($params[0].Parameters // [] | map(select(.Name == $name)) | .[0].Value)
  | if type != "string" or length == 0 then error("parameter " + $name + " is missing or empty") else . end
  | printable("parameter " + $name)
  | if $check == "host" and (hostname | not)
    then error("parameter " + $name + " must be a bare host name (no scheme, port or path), got " + .)
    elif $check == "port" and (test("^[1-9][0-9]{0,4}$") | not)
    then error("parameter " + $name + " must be a port number, got " + .)
    else . end;

# Field $field of the secret in slot $slot ("db", "mq" or "search").
def s($slot; $field):
  $spec[0].secrets[$slot] as $id
  | ({db: $db, mq: $mq, search: $search} | .[$slot][0])
  | if type != "object" then error("secret " + $id + " is not a JSON object") else . end
  | .[$field]
  | if type != "string" or length == 0
    then error("secret " + $id + " has no non-empty string field " + $field)
    else . end
  | printable("secret " + $id + " field " + $field);

def value:
  if .kind == "literal" then .ruby
  elif .kind == "secret" then s(.slot; .field) | rq
  elif .kind == "param" then p(.param; .check // "") | rq
  elif .kind == "hostport" then
    "{ " + (p(.param; "host") | rq) + " => "
    + (if .port_param then p(.port_param; "port") else (.port | tostring) end) + " }"
  else error("unknown value kind " + .kind) end;

if ($params[0].InvalidParameters // []) | length > 0
then error("parameters not found: " + ($params[0].InvalidParameters | join(", ")))
else . end
# Build the whole file before printing, so an error leaves no partial output.
| [$spec[0].header[], ($spec[0].lines[] | .key + (if .call then " " else " = " end) + (.value | value))]
| join("\n")
