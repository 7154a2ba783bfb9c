#!/bin/sh
# duty-desk alert hook: posts each alert to an HTTP SMS gateway with curl.
#
#   [alerts]
#   command = ["/usr/local/lib/duty-desk/sms-gateway.sh", "https://sms.example.gov.cn/api/alert"]
#
# The gateway's URL is the first argument, else $SMS_GATEWAY_URL; a token for it may be
# given in $SMS_GATEWAY_TOKEN (sent as "Authorization: Bearer ..."). The body is the
# alert's JSON object as the desk sent it: {id, event, subject, subject_id, kind, title,
# village, due, recipients: [{name, role, phone}]}; the gateway texts each recipient's
# phone. The `id` lets the gateway drop a repeat if the desk ever retries a delivery it
# could not confirm.
#
# Exit 0 only when the gateway answered 2xx within 8 seconds (the desk kills a hook after
# 10); otherwise curl's error goes to stderr, which the desk records, and it retries with
# backoff for an hour.
set -eu
url="${1:-${SMS_GATEWAY_URL:-}}"
[ -n "$url" ] || { echo "no gateway URL (argument or SMS_GATEWAY_URL)" >&2; exit 2; }
if [ -n "${SMS_GATEWAY_TOKEN:-}" ]; then
    exec curl --silent --show-error --fail --max-time 8 \
        -H 'Content-Type: application/json' \
        -H "Authorization: Bearer ${SMS_GATEWAY_TOKEN}" \
        --data-binary @- -o /dev/null "$url"
fi
exec curl --silent --show-error --fail --max-time 8 \
    -H 'Content-Type: application/json' \
    --data-binary @- -o /dev/null "$url"
