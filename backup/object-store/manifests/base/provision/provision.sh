#!/bin/sh
# Provisions the object store's buckets and users, idempotently: every bucket of BUCKETS exists and is owned by its
# user; every such user exists with role `user` and the secret of its key files. A second run changes nothing.
# The PostSync Job (job.yaml) runs it with the versitygw image, whose `versitygw admin` CLI calls the admin API.
#
#   S3_ENDPOINT              the admin API (versitygw serves it on the S3 port), e.g. http://object-store.object-store.svc:7070
#   ROOT_ACCESS_KEY_ID       the gateway's root credentials
#   ROOT_SECRET_ACCESS_KEY
#   BUCKETS                  space-separated bucket:user pairs, e.g. "velero:velero loki-chunks:loki"
#   USERS_DIR                holds <user>-access-key-id and <user>-secret-access-key for every user of BUCKETS
#
# Every input is checked before the first change; a failure names the bucket or user and exits 1.
set -euf

fail() {
  echo "provision: $*" >&2
  exit 1
}

for var in S3_ENDPOINT ROOT_ACCESS_KEY_ID ROOT_SECRET_ACCESS_KEY BUCKETS USERS_DIR; do
  eval "value=\${$var:-}"
  [ -n "$value" ] || fail "$var is not set"
done

# key USER NAME: the content of USERS_DIR/USER-NAME (checked to be one word by check_pairs)
key() { cat "$USERS_DIR/$1-$2"; }

# valid_pair PAIR: exactly one colon, with a name on each side
valid_pair() {
  case $1 in
    *:*:*) return 1 ;;
    ?*:?*) return 0 ;;
    *) return 1 ;;
  esac
}

check_pairs() {
  seen=" "
  for pair in $BUCKETS; do
    bucket=${pair%%:*} user=${pair#*:}
    valid_pair "$pair" || fail "BUCKETS entry '$pair': expected bucket:user"
    case $seen in *" $bucket "*) fail "bucket $bucket: listed twice in BUCKETS" ;; esac
    seen="$seen$bucket "
    for name in access-key-id secret-access-key; do
      file=$USERS_DIR/$user-$name
      [ -s "$file" ] || fail "user $user (bucket $bucket): $file is missing or empty"
      case $(key "$user" "$name") in
        *[[:space:]]*) fail "user $user (bucket $bucket): $file holds more than one word" ;;
      esac
    done
  done
}

# rows TABLE: the rows of a `versitygw admin list-*` table, without its two header lines
rows() { printf '%s\n' "$1" | awk 'NR > 2 && NF'; }

provision_users() {
  users=$(versitygw admin list-users) || fail "cannot list the users at $S3_ENDPOINT (gateway up? root credentials right?)"
  existing=" $(rows "$users" | awk '{ print $1 }' | tr '\n' ' ')"
  done_users=" "
  for pair in $BUCKETS; do
    user=${pair#*:}
    case $done_users in *" $user "*) continue ;; esac
    done_users="$done_users$user "
    access=$(key "$user" access-key-id)
    # The CLI takes a user's secret only as an argument: visible to this pod's processes alone.
    secret=$(key "$user" secret-access-key)
    case $existing in
      *" $access "*)
        versitygw admin update-user --access "$access" --secret "$secret" --role user ||
          fail "user $user ($access): update-user failed"
        echo "user $user: exists as $access; secret and role user applied" ;;
      *)
        versitygw admin create-user --access "$access" --secret "$secret" --role user ||
          fail "user $user ($access): create-user failed"
        echo "user $user: created as $access" ;;
    esac
  done
}

provision_buckets() {
  listing=$(versitygw admin list-buckets) || fail "cannot list the buckets at $S3_ENDPOINT"
  for pair in $BUCKETS; do
    bucket=${pair%%:*} user=${pair#*:}
    access=$(key "$user" access-key-id)
    owner=$(rows "$listing" | awk -v b="$bucket" '$1 == b { print $2 }')
    if [ -z "$owner" ]; then
      versitygw admin create-bucket --bucket "$bucket" --owner "$access" ||
        fail "bucket $bucket (owner $user): create-bucket failed"
      echo "bucket $bucket: created, owner $user"
    elif [ "$owner" != "$access" ]; then
      versitygw admin change-bucket-owner --bucket "$bucket" --owner "$access" ||
        fail "bucket $bucket: change-bucket-owner from $owner to $user failed"
      echo "bucket $bucket: owner changed from $owner to $user"
    else
      echo "bucket $bucket: exists, owner $user"
    fi
  done
}

check_pairs
export ADMIN_ENDPOINT_URL="$S3_ENDPOINT" ADMIN_ACCESS_KEY_ID="$ROOT_ACCESS_KEY_ID" ADMIN_SECRET_ACCESS_KEY="$ROOT_SECRET_ACCESS_KEY"
provision_users
provision_buckets
