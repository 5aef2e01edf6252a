#!/usr/bin/env bash
# A whole risk lifecycle from the shell with riskctl against a real
# riskledgerd: asset, impact analysis, risk, analysis, list, history, a field
# violation, a retried mutation, exit codes, CSV import (dry run, all or
# nothing, idempotent re-run) and the heat map (terminal and SVG).
#
#   riskctl_e2e.sh RISKCTL RISKLEDGERD WORK RISKLEDGER_VERIFY
set -uo pipefail
riskctl="$(realpath "${1:?RISKCTL}")"
riskledgerd="$(realpath "${2:?RISKLEDGERD}")"
work="$(realpath -m "${3:?WORK}")"
verify="$(realpath "${4:?RISKLEDGER_VERIFY}")"
rm -rf "$work" && mkdir -p "$work"
cd "$work"

failures=0
check() {  # check DESCRIPTION COMMAND...: the command must succeed
  local description="$1"; shift
  if "$@"; then echo "ok   $description"; else echo "FAIL $description"; failures=$((failures + 1)); fi
}
exit_code() {  # the exit code of riskctl with these arguments; output in out/err
  "$riskctl" "$@" > out 2> err
  echo $?
}

"$riskledgerd" --listen=127.0.0.1:0 --data_dir="$work/data" 2> server.log &
server=$!
trap 'kill -9 $server 2>/dev/null; wait $server 2>/dev/null' EXIT
address=""
for _ in $(seq 300); do
  address="$(sed -n 's/.*listening on \([^ ]*\).*/\1/p' server.log | head -1)"
  [ -n "$address" ] && break
  kill -0 $server 2>/dev/null || { echo "riskledgerd exited:"; cat server.log; exit 1; }
  sleep 0.1
done
[ -n "$address" ] || { echo "riskledgerd did not listen"; cat server.log; exit 1; }

# Configuration from a file; flags and the environment override it.
cat > riskctl.conf <<CONF
# riskctl configuration
server = $address
tenant = acme
CONF
export RISKCTL_CONFIG="$work/riskctl.conf"

check "asset create" test "$(exit_code asset create payroll --display-name Payroll \
  --owner alice --component database:salaries --component web --confidentiality high)" = 0
check "asset shown as a table" grep -q '^name *tenants/acme/assets/payroll$' out
scores=()
for category in achievement_of_objectives reputational_damage affected_parties \
    legal_obligations accompanying_costs availability integrity confidentiality privacy; do
  scores+=(--score "$category:3:judged by the payroll team")
done
check "impact record (M2 screening)" test "$(exit_code impact record payroll "${scores[@]}" \
  --justification "yearly screening")" = 0
check "impact list" test "$(exit_code impact list payroll --csv)" = 0
check "impact list is CSV with the screening" grep -q '^tenants/acme/assets/payroll/impactAnalyses/' out

risk_flags=(--asset payroll --component database --vulnerability "no second factor"
  --threat-actor "external attacker" --attack-method phishing --risk-factor "weak authentication"
  --risk-event "account takeover" --loss "salary data" --affected confidentiality,integrity
  --owner alice --source internal --control "password policy")
check "risk create" test "$(exit_code risk create "${risk_flags[@]}" --json)" = 0
risk_id="$(python3 -c 'import json,sys; print(json.load(open("out"))["risk_id"])')"
check "risk id is R-YYYY-0001 (M3)" grep -Eq '^R-[0-9]{4}-0001$' <<< "$risk_id"
check "risk analyse" test "$(exit_code risk analyse "$risk_id" --impact 4 --likelihood 3 \
  --impact-rationale "every salary" --likelihood-rationale "phishing monthly")" = 0
check "M5: level 12 = 4 × 3" grep -q '^level *12$' out
check "risk list (CSV)" test "$(exit_code risk list --csv)" = 0
check "the register lists the risk" grep -q "^$risk_id,12,medium,analysed,alice,account takeover" out
check "risk get --json is JSON" test "$(exit_code risk get "$risk_id" --json)" = 0
check "its etag is 2" python3 -c 'import json; assert json.load(open("out"))["etag"] == "2"'
check "risk history" test "$(exit_code risk history "$risk_id")" = 0
check "history shows impact 0→4 and the rationale" grep -q 'impact 0→4.*every salary' out
check "a stale etag is a conflict (5)" test "$(exit_code risk adjust "$risk_id" --level 15 \
  --rationale late --etag 1)" = 5
check "risk adjust with the current etag" test "$(exit_code risk adjust "$risk_id" --level 15 \
  --rationale "a supplier incident" --etag 2)" = 0

# A field violation read out of INVALID_ARGUMENT: exit 3, the field named.
check "a risk without owner is refused (3)" test "$(exit_code risk create --asset payroll \
  --vulnerability v --threat-actor a --risk-factor f --risk-event e --loss l \
  --affected availability --source external)" = 3
check "the violation names risk.owner" grep -q '^  risk.owner: ' err
check "bad option values are usage errors (2)" test "$(exit_code risk analyse "$risk_id" --impact four)" = 2
check "… naming the option" grep -q -- '--impact: impact' err

# A retried mutation writes once: the same request id twice, one risk.
check "create with a request id" test "$(exit_code risk create "${risk_flags[@]}" --request-id retry-1 --json)" = 0
first="$(python3 -c 'import json; print(json.load(open("out"))["risk_id"])')"
check "the same create again" test "$(exit_code risk create "${risk_flags[@]}" --request-id retry-1 --json)" = 0
second="$(python3 -c 'import json; print(json.load(open("out"))["risk_id"])')"
check "answers the same risk" test "$first" = "$second"
check "risk list --json" test "$(exit_code risk list --json)" = 0
check "two risks in the register" python3 -c 'import json; assert len(json.load(open("out"))) == 2'

# Exit codes scripts can trust.
check "unknown command (2)" test "$(exit_code risk frobnicate)" = 2
check "unknown option (2)" test "$(exit_code risk list --colour=red)" = 2
check "another command's option (2)" test "$(exit_code risk list --impact 3)" = 2
check "not found (4)" test "$(exit_code risk get R-2026-9999)" = 4
check "already exists (5)" test "$(exit_code asset create payroll --display-name P --owner a)" = 5
check "no tenant (2)" test "$(exit_code risk list --config /dev/null)" = 2
check "a bad config line (2)" test "$(printf 'server = x\n' > bad.conf; exit_code risk list --config bad.conf)" = 2
check "… named with its line" grep -q 'bad.conf:1' err
check "nothing listens (7)" test "$(exit_code risk list --server 127.0.0.1:1 --timeout 2s)" = 7
check "the environment overrides the file" test "$(RISKCTL_SERVER=127.0.0.1:1 exit_code risk list --timeout 2s)" = 7
check "a flag overrides the environment" test "$(RISKCTL_SERVER=127.0.0.1:1 exit_code risk list --server "$address")" = 0
for command in "asset create" "asset get" "asset list" "asset update" "impact record" \
    "impact list" "risk create" "risk list" "risk analyse" "risk adjust" "risk history" \
    "audit list" "audit verify" "matrix" "import"; do
  check "$command --help" test "$(exit_code $command --help)" = 0
done
check "help" test "$(exit_code help)" = 0
check "help documents the exit codes" grep -q 'exit codes' out

# Import of a register from CSV.
cat > register.csv <<'CSV'
asset,component,vulnerability,threat_actor,risk_factor,risk_event,loss,affected_properties,owner,source,existing_controls,impact,likelihood,impact_rationale,likelihood_rationale
payroll,database,"unpatched DB, old",insider,no patching,data altered,"wrong ""net"" pay",integrity,bob,internal,backups; review,3,2,payslips,rare
payroll,web,XSS,external attacker,no input checks,session stolen,accounts,confidentiality,carol,external,,,,,
CSV
cp register.csv bad.csv
cat >> bad.csv <<'CSV'
payroll,kitchen,v,a,f,e,l,availability,dave,internal,,9,2,x,y
nowhere,,v,a,f,e,l,availability,,internal,,,,,
CSV
check "dry run of a bad file: rows rejected (8)" test "$(exit_code import bad.csv)" = 8
check "… naming line 4's component" grep -q 'bad.csv:4: component: ' err
check "… and its impact off the scale" grep -q 'bad.csv:4: impact: 9 is not on' err
check "… and line 5's owner and asset" grep -q 'bad.csv:5: risk.owner: ' err
check "applying a bad file imports nothing (8)" test "$(exit_code import bad.csv --apply)" = 8
exit_code risk list --json > /dev/null
check "still two risks" python3 -c 'import json; assert len(json.load(open("out"))) == 2'
check "dry run of a good file" test "$(exit_code import register.csv)" = 0
exit_code risk list --json > /dev/null
check "a dry run imports nothing" python3 -c 'import json; assert len(json.load(open("out"))) == 2'
check "import --apply" test "$(exit_code import register.csv --apply --csv)" = 0
check "two rows imported" test "$(tail -n +2 out | wc -l)" = 2
check "the scored row is analysed (level 6)" grep -q ',6,' out
check "import --apply again" test "$(exit_code import register.csv --apply)" = 0
exit_code risk list --json > /dev/null
check "re-running the import writes nothing twice" python3 -c 'import json; assert len(json.load(open("out"))) == 4'
check "--skip-invalid imports the valid rows (8)" test "$(exit_code import bad.csv --apply --skip-invalid)" = 8
exit_code risk list --json > /dev/null
check "… which were already there" python3 -c 'import json; assert len(json.load(open("out"))) == 4'

# The heat map.
check "matrix" test "$(exit_code matrix --svg matrix.svg)" = 0
check "no colour when not a terminal" bash -c "! grep -q $'\x1b' out"
check "the axes are labelled" grep -q 'likelihood' out
check "the cell of impact 4 holds the risk" grep -Eq '^ +4 │( +[0-9]+ ){2} +1 ' out
check "the SVG has 25 cells" test "$(grep -c 'class="cell"' matrix.svg)" = 25
check "the SVG is XML" python3 -c 'import xml.dom.minidom; xml.dom.minidom.parse("matrix.svg")'
check "--color=always colours" bash -c "'$riskctl' matrix --color=always | grep -q $'\x1b\\[30;'"
check "matrix --csv" test "$(exit_code matrix --csv)" = 0
check "… one line per cell" test "$(wc -l < out)" = 26

# Audit steps and any method by name.
check "audit list" test "$(exit_code audit list --csv)" = 0
check "audit entries of the risk" grep -q "tenants/acme/risks/$risk_id" out
check "audit verify" test "$(exit_code audit verify)" = 0
check "the log verifies" grep -q '^valid *true$' out
check "call any method" test "$(exit_code call riskledger.v1.AssessmentService.GetRisk \
  "{\"name\": \"tenants/acme/risks/$risk_id\"}")" = 0
check "… answering JSON" python3 -c 'import json; assert json.load(open("out"))["risk_id"]'

# Evidence for an auditor, checked offline.
check "audit export" test "$(exit_code audit export --out bundle.bin --resource "risks/$risk_id")" = 0
check "the bundle verifies offline" "$verify" bundle.bin
check "audit export needs --out (2)" test "$(exit_code audit export)" = 2

echo "riskctl end to end: $failures failed"
[ "$failures" -eq 0 ]
