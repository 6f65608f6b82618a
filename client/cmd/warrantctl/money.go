package main

import "github.com/scfledger/warrants/client/money"

// yuan formats an amount in fen as yuan with two decimals and thousands separators.
func yuan(fen int64) string { return money.Yuan(fen) }

// withYuan renders an amount for tables: "¥1,234.56".
func withYuan(fen int64) string { return money.WithSign(fen) }
