# shellcheck shell=bash
# shellcheck disable=SC2154,SC2034 # the cast, ctl, at and the other helpers come from scripts/demo.sh, which sources this file
# The cross-bank story, sourced by scripts/demo.sh --consortium once the dev network of
# network/devnet/config/consortium.yaml runs and the default network's members and
# enterprises are registered. One registry stops one receivable being pledged at two
# different banks: Jinggong holds parts of warrants of both core enterprises, pledges
# one at Qianhai Bank, and Nanshan Bank can neither pledge nor factor that part; the
# other part is in Nanshan Bank's custody, and Nanshan Bank finances it; at maturity
# each pledgee is paid (R10, R11, R12, R32, R34). Uses demo.sh's functions and
# variables (ctl, show, id, child, expect_rejection, sha, payments, member, onboard).

core2=9144190093158274XB;  as_core2=User1@CoreEnterprise2MSP
bank2=914403002794183661;  as_bank2=User1@Bank2MSP

step "The consortium's second bank and second core enterprise are registered members (R34)"
member Bank2MSP BANK 深圳南山商业银行
member CoreEnterprise2MSP CORE_ENTERPRISE 东莞鹏程汽车零部件股份有限公司
onboard "$bank2" 深圳南山商业银行 Bank2MSP custodian,financier,holder,paymentbank nanshan-bank
onboard "$core2" 东莞鹏程汽车零部件股份有限公司 CoreEnterprise2MSP issuer,attestor pengcheng-group
ctl --as "$as_assoc" authorize-attestor "$core2" --kind GOODS_RECEIPT --kind CONTRACT >/dev/null && echo "Pengcheng: GOODS_RECEIPT, CONTRACT"
show members
expect_rejection FORBIDDEN --as "$as_bank2" register-member EvilMSP --kind ASSOCIATION --name "a bank claiming admin"

step "Nanshan Bank grants Pengcheng a credit line of ¥5,000,000.00 (R4a)"
show --as "$as_bank2" set-credit-line --debtor "$core2" --limit 500000000

matures=$(date -u -d "+${tenor} seconds" +%Y-%m-%dT%H:%M:%SZ)
# active_warrant <issuer identity> <debtor> <invoice number> prints the id of a
# registered ¥1,000,000.00 warrant of the debtor held by Jinggong.
active_warrant() {
  local w
  w=$(id --as "$1" issue --debtor "$2" --holder "$t1a" --amount 100000000 --matures "$matures" \
    --contract-hash "$(sha "contract-$3")" --invoice ":$3:100000000:$t1a:$2:$(sha "invoice-$3")")
  ctl --as "$as_check" attest "$w" --kind TAX_INVOICE --amount 100000000 --evidence-hash "$(sha "invoice-check-$w")" >/dev/null
  ctl --as "$1" attest "$w" --kind GOODS_RECEIPT --amount 100000000 --evidence-hash "$(sha "goods-receipt-$w")" >/dev/null
  ctl --as "$as_assoc" verify "$w" --evidence-hash "$(sha "evidence-$w")" >/dev/null
  ctl --as "$as_assoc" register "$w" >/dev/null
  echo "$w"
}

step "Huaxin and Pengcheng each issue Jinggong a ¥1,000,000.00 warrant; Jinggong passes ¥300,000 of each to Hengda"
root_a=$(active_warrant "$as_core" "$core" 26442000000000900001)
root_b=$(active_warrant "$as_core2" "$core2" 26442000000000900002)
part_a=$(ctl --as "$as_t1a" split "$root_a" --part "$t2a:30000000" | child "$t1a")
part_b=$(ctl --as "$as_t1a" split "$root_b" --part "$t2a:30000000" | child "$t1a")
note "Jinggong keeps $part_a (Huaxin owes it) and $part_b (Pengcheng owes it), ¥700,000 each, maturing $matures"

step "Jinggong pledges its part of Huaxin's warrant at Qianhai Bank (质押, R11)"
ctl --as "$as_t1a" request-financing "$part_a" --financier "$bank" >/dev/null
pledge_no=$(ctl --as "$as_bank" pledge "$part_a" --amount 60000000 | sed -n 's/^ *"registryNo": "\(ZY[^"]*\)".*/\1/p')
show --as "$as_bank" get "$part_a"

step "The same part at Nanshan Bank: asking, pledging and factoring are all refused (PLEDGED)"
expect_rejection PLEDGED --as "$as_t1a" request-financing "$part_a" --financier "$bank2"
expect_rejection PLEDGED --as "$as_bank2" pledge "$part_a" --amount 60000000
expect_rejection PLEDGED --as "$as_bank2" factor "$part_a"
note "Nanshan Bank finds Qianhai Bank's pledge $pledge_no in the public registry, and nothing more (R20):"
show --as "$as_bank2" lookup --registry-no "$pledge_no"

step "Jinggong's part of Pengcheng's warrant goes into Nanshan Bank's custody (托管, R10): its changes now need Nanshan Bank's endorsement, not Qianhai Bank's"
show --as "$as_t1a" deposit "$part_b" --custodian "$bank2"
ctl --as "$as_t1a" request-financing "$part_b" --financier "$bank2" >/dev/null
show --as "$as_bank2" pledge "$part_b" --amount 50000000
note "each bank's financing terms (rate, fees) stay in its own private collection (R17), off the shared ledger"

now=$(date -u +%s); due=$(date -u -d "$matures" +%s)
if [ "$due" -gt "$now" ]; then
  # As in scripts/demo.sh: ledger time is the transaction timestamp, which a client
  # chooses within the peers' clock skew (5 minutes, R19), so nothing waits.
  step "Maturity is $((due - now))s away: from here on the clients stamp their transactions at maturity, $matures (R19)"
  at=(--timestamp "$matures")
fi

step "At maturity each debtor pays through its own bank; each pledgee is paid up to its secured amount, Jinggong the rest (R12, R32)"
# settle_and_confirm <debtor's issuer> <leaf> <paying bank> <its identity> <reference prefix>
settle_and_confirm() {
  local flags=() payee amount n=0
  ctl --as "$1" settle "$2" --payment-ref "CNAPS-$5-$(date -u +%Y%m%d)" --paying-bank "$3" >/dev/null
  while read -r payee amount; do
    n=$((n + 1))
    flags+=(--payment "$payee:6222-$payee:$amount:$5-$(date -u +%Y%m%d)-$n")
  done < <(payments "$2")
  ctl --as "$4" confirm-settlement "$2" --channel BANK_TRANSFER "${flags[@]}" >/dev/null && echo "$2 paid and confirmed by $3"
}
settle_and_confirm "$as_core" "$part_a" "$bank" "$as_bank" QH
settle_and_confirm "$as_core2" "$part_b" "$bank2" "$as_bank2" NS
show --as "$as_assoc" get "$part_a"
show --as "$as_assoc" get "$part_b"
