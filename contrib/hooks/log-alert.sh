#!/bin/sh
# duty-desk alert hook: appends each alert to a log file, one line per alert
# (the time it was received, then the alert's JSON object as the desk sent it).
#
#   [alerts]
#   command = ["/usr/local/lib/duty-desk/log-alert.sh", "/var/log/duty-desk/alerts.log"]
#
# The log file is the first argument, else $DUTY_DESK_ALERT_LOG, else ./alerts.log.
# Exit 0 = delivered; anything else and the desk tries again later.
set -eu
log="${1:-${DUTY_DESK_ALERT_LOG:-alerts.log}}"
json="$(cat)"
[ -n "$json" ] || { echo "no alert on stdin" >&2; exit 2; }
# one line per alert, whatever the JSON holds (it never contains a raw newline)
printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$json" >> "$log"
