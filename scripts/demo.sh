#!/usr/bin/env bash
# The whole story of a supply-chain warrant on the embedded dev network (or, with
# FABRIC_BIN set, on the native real Fabric network of scripts/network.sh), through
# the warrantctl CLI: onboarding, a credit line, issue with buyer-paid interest,
# two independent attestations and verification, registration, custody,
# split-transfers three tiers deep with an acceptance and a rejection, a pledge,
# a buyer-paid discount, rejections with their codes, settlement of every leaf at
# maturity confirmed by the paying bank (e-CNY and transfer), and the export.
# Needs only Go. Usage: scripts/demo.sh [--keep] [--consortium]   (--keep leaves the
# network running, starts warrantd on it and prints the URL of the root's lineage page;
# --consortium runs the cross-bank story of scripts/demo-crossbank.sh on the consortium
# dev network: two banks, two core enterprises)
set -euo pipefail
cd "$(dirname "$0")/.."
# Static pure-Go executables, built from the same cache as scripts/test.sh's.
export CGO_ENABLED="${CGO_ENABLED:-0}"

keep=false
network=default
for arg in "$@"; do
  case "$arg" in
    --keep) keep=true ;;
    --consortium) network=consortium ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

dir=${DEMO_DIR:-.devnet-demo}
# Environment: DEMO_DIR (default .devnet-demo, .fabric-demo on Fabric),
# DEMO_FREE_PORTS=1 (dev network: listen on free ports), DEMO_BASE_PORT (Fabric:
# first port), DEMO_TENOR_SECONDS (seconds from issue to maturity: at most the
# peers' clock skew, 5 minutes, and long enough for the story to reach the pledge
# before it), DEMO_PREBUILT=1 (dev network: bin/ already holds up-to-date devnet,
# warrant-chaincode and warrantctl executables; the tests put them there),
# FABRIC_BIN (run on the native real Fabric network).
tenor=${DEMO_TENOR_SECONDS:-25}

bold=$'\033[1m'; dim=$'\033[2m'; plain=$'\033[0m'
if [ ! -t 1 ]; then bold=""; dim=""; plain=""; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }
note() { printf '%s%s%s\n' "$dim" "$*" "$plain"; }

if [ "$network" = consortium ]; then
  if [ -n "${FABRIC_BIN:-}" ]; then echo "--consortium runs on the dev network only; unset FABRIC_BIN" >&2; exit 2; fi
  if $keep; then echo "--consortium does not keep the network running; drop --keep" >&2; exit 2; fi
  dir=${DEMO_DIR:-.devnet-consortium}
  tenor=${DEMO_TENOR_SECONDS:-40}
fi

if [ -n "${FABRIC_BIN:-}" ]; then
  # The native real Fabric network (scripts/network.sh native): Fabric CAs, a raft
  # orderer, three peers and the chaincode as local processes.
  dir=${DEMO_DIR:-.fabric-demo}
  echo "${bold}Building warrantctl${plain}"
  mkdir -p bin
  go build -o bin/warrantctl ./client/cmd/warrantctl
  if $keep; then go build -o bin/warrantd ./client/cmd/warrantd; fi
  log="$dir.log"
  base=()
  if [ -n "${DEMO_BASE_PORT:-}" ]; then base=(--base-port "$DEMO_BASE_PORT"); fi
  step "Starting the native Fabric network in $dir with the binaries of $FABRIC_BIN (log: $log)"
  stop_network() { scripts/network.sh native down --dir "$dir" >>"$log" 2>&1 || true; }
  trap stop_network EXIT
  scripts/network.sh native up --dir "$dir" "${base[@]}" >"$log" 2>&1 || { cat "$log"; echo "the native network failed to start" >&2; exit 1; }
  sed -n '/^Native network in/,$p' "$log"
else
if [ -z "${DEMO_PREBUILT:-}" ]; then
  echo "${bold}Building the dev network, the chaincode and warrantctl${plain}"
  mkdir -p bin
  go build -o bin/devnet ./network/cmd/devnet
  go build -o bin/warrant-chaincode ./chaincode
  go build -o bin/warrantctl ./client/cmd/warrantctl
  if $keep; then go build -o bin/warrantd ./client/cmd/warrantd; fi
fi

config="$dir.yaml"
sed -e "s#command: \[go, run, ./chaincode#command: [$PWD/bin/warrant-chaincode#" \
    -e "s#collections: chaincode/#collections: $PWD/chaincode/#" \
  "network/devnet/config/$network.yaml" > "$config"
rm -rf "$dir"
log="$dir.log"
step "Starting the dev network in $dir (log: $log)"
ports=()
if [ -n "${DEMO_FREE_PORTS:-}" ]; then ports=(--free-ports); fi
bin/devnet up --config "$config" --dir "$dir" "${ports[@]}" >"$log" 2>&1 &
pid=$!
stop_network() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
trap stop_network EXIT
for _ in $(seq 1 600); do
  grep -q "devnet ready" "$log" && break
  kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "the dev network failed to start" >&2; exit 1; }
  sleep 0.1
done
grep -q "devnet ready" "$log" || { cat "$log"; echo "the dev network did not become ready" >&2; exit 1; }
grep -v '^\[' "$log"
fi

# The cast (network/devnet/config/default.yaml): credit codes and their users.
core=9144030052601815XN;   as_core=User1@CoreEnterpriseMSP
bank=914403007865797541;   as_bank=User1@BankMSP
assoc=51440300MJL4323104;  as_assoc=User1@AssociationMSP
check=914403007362810444;  as_check=Shulian@AssociationMSP
t1a=91440300908301663N;    as_t1a=Jinggong@AssociationMSP
t1a_rel=91440300518190937Y
t1b=91441900131860916B
t2a=914413003909960334;    as_t2a=Hengda@AssociationMSP
t2b=92440300082462814A;    as_t2b=Shengtong@AssociationMSP
t3a=91442000948219939P;    as_t3a=Yongsheng@AssociationMSP

# at holds --timestamp once the story reaches maturity (below).
at=()
ctl() { bin/warrantctl --dir "$dir" "${at[@]}" "$@"; }
# show runs a command and prints its result as a table.
show() { ctl -o table "$@"; }
# id runs a command and prints the "id" of its JSON result.
id() { ctl "$@" | sed -n 's/^  "id": "\(.*\)",$/\1/p'; }
# child prints the id of the part of a split result held by a credit code.
child() { tr -d ' \n' | sed 's/.*"children"://' | grep -o "\"id\":\"[^\"]*\"[^{}]*\"holder\":\"$1\"" | head -1 | sed 's/^"id":"\([^"]*\)".*/\1/'; }
# expect_rejection runs a command that must be rejected with the given code.
expect_rejection() {
  local want=$1; shift
  local output status=0
  output=$(ctl "$@" 2>&1) || status=$?
  if [ "$status" -ne 2 ] || ! grep -q "$want" <<<"$output"; then
    echo "expected rejection $want, got (exit $status): $output" >&2; exit 1
  fi
  echo "rejected as expected: $output"
}
sha() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
# payments prints "payee amount" per payee share of a SETTLING leaf, in order.
payments() { ctl --as "$as_assoc" get "$1" | tr -d ' \n' | grep -o '"payees":\[[^]]*\]' | grep -o '"payee":"[^"]*","amount":[0-9]*' \
  | sed 's/"payee":"\([^"]*\)","amount":\([0-9]*\)/\1 \2/'; }

step "Registering the member orgs (the association's admin, R34)"
ctl --as "$as_assoc" init-ledger --name 深圳市供应链金融协会 >/dev/null
echo "initialised the ledger: AssociationMSP is the association"
member() { ctl --as "$as_assoc" register-member "$1" --kind "$2" --name "$3" >/dev/null; echo "registered $1 ($3) as $2"; }
member CoreEnterpriseMSP CORE_ENTERPRISE 深圳华芯电子制造股份有限公司
member BankMSP BANK 深圳前海合作银行
show members

step "Onboarding the enterprises (the association's admin, R3)"
onboard() { ctl --as "$as_assoc" onboard --credit-code "$1" --name "$2" --mspid-of "$3" --roles "$4" --controller "$5" >/dev/null; echo "onboarded $2 ($1) as $4"; }
onboard "$assoc" 深圳市供应链金融协会 AssociationMSP verifier,registrar,regulator,admin association
onboard "$core" 深圳华芯电子制造股份有限公司 CoreEnterpriseMSP issuer,attestor huaxin-group
onboard "$bank" 深圳前海合作银行 BankMSP custodian,financier,holder,paymentbank qianhai-bank
onboard "$t1a" 深圳精工模具有限公司 AssociationMSP holder chen-family
onboard "$t1a_rel" 深圳精工贸易有限公司 AssociationMSP holder chen-family
onboard "$t1b" 东莞联创线缆有限公司 AssociationMSP holder lianchuang
onboard "$t2a" 惠州恒达五金制品有限公司 AssociationMSP holder hengda
onboard "$t2b" 深圳市宝安区晟通包装厂 AssociationMSP holder shengtong
onboard "$t3a" 中山永盛注塑加工有限公司 AssociationMSP holder yongsheng
onboard "$check" 深圳数链票据核验服务有限公司 AssociationMSP attestor shulian

step "Two independent sources may attest trades (R30): Shulian checks 数电 invoices, Huaxin confirms receipts"
ctl --as "$as_assoc" authorize-attestor "$check" --kind TAX_INVOICE --kind LOGISTICS >/dev/null && echo "Shulian: TAX_INVOICE, LOGISTICS"
ctl --as "$as_assoc" authorize-attestor "$core" --kind GOODS_RECEIPT --kind CONTRACT >/dev/null && echo "Huaxin: GOODS_RECEIPT, CONTRACT"

step "The bank grants Huaxin a credit line of ¥5,000,000.00 (R4a)"
show --as "$as_bank" set-credit-line --debtor "$core" --limit 500000000

if [ "$network" = consortium ]; then
  # shellcheck source=scripts/demo-crossbank.sh
  . scripts/demo-crossbank.sh
  step "Stopping the network"
  exit 0
fi

step "Huaxin issues a ¥1,000,000.00 warrant to Jinggong, backed by two invoices (R4)"
matures=$(date -u -d "+${tenor} seconds" +%Y-%m-%dT%H:%M:%SZ)
invoices=(
  --invoice "4403261130:00812345:58000000:$t1a:$core:$(sha invoice-00812345)"
  --invoice "4403261130:00812346:42000000:$t1a:$core:$(sha invoice-00812346)"
)
root=$(id --as "$as_core" issue --request-id HX-PO-2026-0815 --debtor "$core" --holder "$t1a" \
  --amount 100000000 --matures "$matures" --contract-hash "$(sha HX-CG-2026-0815)" "${invoices[@]}")
note "warrant $root, matures $matures"

step "Huaxin takes on the interest of any discount (买方付息, R31): 3.65% a year, ACT/365"
ctl --as "$as_core" arrange-interest "$root" --payer BUYER --rate-bp 365 --day-count ACT/365 >/dev/null && echo "arranged on $root"

step "A second warrant on the same invoices is issued by mistake"
twin=$(id --as "$as_core" issue --debtor "$core" --holder "$t1a" --amount 100000000 \
  --matures "$matures" --contract-hash "$(sha HX-CG-2026-0815)" "${invoices[@]}")
note "warrant $twin"

step "No single party verifies a trade: the verifier waits for the required attestations (R30)"
expect_rejection INCOMPLETE_ATTESTATION --as "$as_assoc" verify "$root" --evidence-hash "$(sha "evidence-$root")"
for w in "$root" "$twin"; do
  ctl --as "$as_check" attest "$w" --kind TAX_INVOICE --amount 100000000 --evidence-hash "$(sha "invoice-check-$w")" >/dev/null \
    && echo "$w: 数电发票查验 passed (Shulian)"
  ctl --as "$as_core" attest "$w" --kind GOODS_RECEIPT --amount 100000000 --evidence-hash "$(sha "goods-receipt-$w")" >/dev/null \
    && echo "$w: goods receipt confirmed (Huaxin, the buyer)"
done

step "The association verifies both trade backgrounds (验真, R5)"
ctl --as "$as_assoc" verify "$root" --evidence-hash "$(sha "evidence-$root")" >/dev/null && echo "$root verified"
ctl --as "$as_assoc" verify "$twin" --evidence-hash "$(sha "evidence-$twin")" >/dev/null && echo "$twin verified"

step "It registers the first (登记, R6); the same receivable cannot be registered twice"
show --as "$as_assoc" register "$root"
expect_rejection ALREADY_REGISTERED --as "$as_assoc" register "$twin"
show --as "$as_core" cancel "$twin" --reason "duplicate of $root"

step "Jinggong deposits the warrant with the bank (托管, R10): changes now need the bank's endorsement"
show --as "$as_t1a" deposit "$root" --custodian "$bank"

step "Jinggong splits it: ¥300,000 to Hengda, ¥200,000 to Shengtong, keeps ¥500,000 (拆分流转, R7)"
split=$(ctl --as "$as_t1a" split "$root" --part "$t2a:30000000" --part "$t2b:20000000")
to_t2a=$(child "$t2a" <<<"$split"); to_t2b=$(child "$t2b" <<<"$split"); kept_t1a=$(child "$t1a" <<<"$split")
note "offered $to_t2a to Hengda, $to_t2b to Shengtong; Jinggong keeps $kept_t1a"

step "A transfer to a related party of Jinggong is refused (anti self-financing, R8a)"
expect_rejection RELATED_PARTY --as "$as_t1a" split "$kept_t1a" --part "$t1a_rel:1000000"

step "Hengda accepts its part; Shengtong rejects its part, which goes back to Jinggong (签收, R8)"
show --as "$as_t2a" accept "$to_t2a"
ctl --as "$as_t2b" reject "$to_t2b" >/dev/null && echo "$to_t2b rejected by Shengtong"

step "Hengda passes ¥100,000 on to Yongsheng, its own supplier (tier 3), who accepts"
split=$(ctl --as "$as_t2a" split "$to_t2a" --part "$t3a:10000000")
to_t3a=$(child "$t3a" <<<"$split"); kept_t2a=$(child "$t2a" <<<"$split")
ctl --as "$as_t3a" accept "$to_t3a" >/dev/null && echo "$to_t3a accepted by Yongsheng"

step "Hengda pledges its ¥200,000 at the bank (质押, R11); a second pledge is refused"
ctl --as "$as_t2a" request-financing "$kept_t2a" --financier "$bank" >/dev/null
show --as "$as_bank" pledge "$kept_t2a" --amount 18000000
expect_rejection PLEDGED --as "$as_bank" pledge "$kept_t2a" --amount 1000000

step "The bank discounts Jinggong's ¥500,000 (保理/贴现, R11): Jinggong receives the face value, Huaxin owes the interest (R31)"
ctl --as "$as_t1a" request-financing "$kept_t1a" --financier "$bank" >/dev/null
discounted=$(ctl --as "$as_bank" factor "$kept_t1a" | child "$bank")
show get "$discounted"

step "The split tree and the root summary"
show lineage "$root"
show summary "$root"

now=$(date -u +%s); due=$(date -u -d "$matures" +%s)
if [ "$due" -gt "$now" ]; then
  # Ledger time is the transaction timestamp, which a client chooses; the peers
  # refuse one further than their clock skew (5 minutes) from their clocks (R19).
  step "Maturity is $((due - now))s away: from here on the clients stamp their transactions at maturity, $matures (R19 lets a timestamp be that close to the peers' clocks)"
  at=(--timestamp "$matures")
fi

step "At maturity Huaxin initiates payment of every live leaf through its bank (兑付/清分, R12): SETTLING until the bank confirms (R32)"
show --as "$as_core" settle-root "$root" --payment-ref "CNAPS-$(date -u +%Y%m%d)-0001" --paying-bank "$bank" --all
show pending-settlements "$root"

step "The bank's confirmation must match what is owed: a wrong amount is refused (R32)"
read -r payee amount < <(payments "$to_t3a")
expect_rejection PAYMENT_MISMATCH --as "$as_bank" confirm-settlement "$to_t3a" --channel ECNY \
  --payment "$payee:ECNY-$payee:$((amount - 1)):ECNY-$(date -u +%Y%m%d)-0000:0021000000000001:0021000000000002"

step "The bank confirms each payment with its own record: e-CNY to Yongsheng, transfers to the others; the pledged leaf pays the bank its ¥180,000 and Hengda the rest"
n=0
for leaf in $(ctl pending-settlements "$root" | grep -o '"warrantId": "[^"]*"' | cut -d'"' -f4); do
  flags=()
  while read -r payee amount; do
    n=$((n + 1))
    if [ "$leaf" = "$to_t3a" ]; then
      flags+=(--payment "$payee:ECNY-$payee:$amount:ECNY-$(date -u +%Y%m%d)-$n:0021000000000001:00210000000000$((10 + n))")
    else
      flags+=(--payment "$payee:6222-$payee:$amount:CNAPS-QH-$(date -u +%Y%m%d)-$n")
    fi
  done < <(payments "$leaf")
  channel=BANK_TRANSFER; [ "$leaf" = "$to_t3a" ] && channel=ECNY
  ctl --as "$as_bank" confirm-settlement "$leaf" --channel "$channel" "${flags[@]}" >/dev/null && echo "$leaf confirmed by the bank ($channel)"
done

step "Every leaf settled: the final tree and summary"
show lineage "$root"
show summary "$root"

step "The root and its lineage in the published warrant standard (R33)"
ctl export "$root" --out "$dir-export.json"

if $keep; then
  step "Starting warrantd (HTTP API, webhooks, pages) on the dev network"
  # One caller per cast user, each with a fresh token; warrantd keeps only digests.
  callers="$dir-callers.json"
  tokens="$dir-tokens.txt"
  : >"$tokens"
  entries=()
  for who in "$as_core" "$as_bank" "$as_assoc" "$as_t1a" "$as_t2a" "$as_t2b" "$as_t3a"; do
    token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
    printf '%s %s\n' "$who" "$token" >>"$tokens"
    entries+=("{\"name\":\"$who\",\"tokenSha256\":\"$(sha "$token")\",\"identities\":[\"$who\"]}")
  done
  (IFS=,; printf '{"callers":[%s]}\n' "${entries[*]}") >"$callers"
  listen=127.0.0.1:8080
  if [ -n "${DEMO_FREE_PORTS:-}" ]; then listen=127.0.0.1:0; fi
  dlog="$dir-warrantd.log"
  bin/warrantd --devnet "$dir" --callers "$callers" --listen "$listen" >"$dlog" 2>&1 &
  dpid=$!
  trap 'kill "$dpid" 2>/dev/null || true; stop_network' EXIT
  for _ in $(seq 1 300); do
    grep -q "warrantd listening on" "$dlog" && break
    kill -0 "$dpid" 2>/dev/null || { cat "$dlog"; echo "warrantd failed to start" >&2; exit 1; }
    sleep 0.1
  done
  url=$(sed -n 's/^warrantd listening on //p' "$dlog" | head -1)
  [ -n "$url" ] || { cat "$dlog"; echo "warrantd did not start" >&2; exit 1; }
  note "access tokens (sign in on the pages, or curl -H \"Authorization: Bearer <token>\"): $tokens"
  note "Jinggong's token: $(sed -n "s/^$as_t1a //p" "$tokens")"
  if [ -n "${FABRIC_BIN:-}" ]; then
    trap - EXIT
    echo "$dpid" >"$dir-warrantd.pid"
    step "The native network and warrantd keep running (warrantd pid $dpid, in $dir-warrantd.pid); the root's lineage page:"
    echo "$url/roots/$root/lineage"
    note "stop them with: kill $dpid; scripts/network.sh native down --dir $dir"
  else
    step "The dev network and warrantd keep running (pids $pid, $dpid); the root's lineage page:"
    echo "$url/roots/$root/lineage"
    wait "$pid"
  fi
else
  step "Stopping the network"
fi
