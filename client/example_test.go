package client_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
)

// Connect as the core enterprise's User1 on the dev network in .devnet and issue a
// warrant; a rejection is told apart by its code.
func ExampleConnect() {
	cfg, err := client.DevnetConfig(".devnet", "User1@CoreEnterpriseMSP")
	if err != nil {
		log.Fatal(err)
	}
	c, err := client.Connect(cfg, client.WithEndorseTimeout(15*time.Second))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	w, err := c.Issue(context.Background(), warrant.IssueRequest{
		RequestID: "PO-2026-0815", // makes the call idempotent and retried on read conflicts
		Debtor:    "9144030052601815XN",
		Holder:    "91440300908301663N",
		Amount:    100_000_000, // fen: 1,000,000.00 yuan
		MaturesAt: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC),
		Trade:     warrant.Trade{ /* contract hash and invoices */ },
	})
	switch client.Code(err) {
	case "":
		if err != nil {
			log.Fatal(err) // transport, timeout or commit failure
		}
		fmt.Println("issued", w.ID)
	case warrant.CodeInsufficientCreditLine:
		fmt.Println("the credit line is used up")
	default:
		fmt.Println("rejected:", err)
	}
}

// Process the chaincode's events, resuming after the last handled one on restart.
func ExampleClient_ProcessEvents() {
	cfg, err := client.DevnetConfig(".devnet", "User1@BankMSP")
	if err != nil {
		log.Fatal(err)
	}
	c, err := client.Connect(cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	err = c.ProcessEvents(context.Background(), "bank-events.checkpoint", func(_ context.Context, e client.Event) error {
		if e.Name == warrant.EventFinanceRequested {
			fmt.Println("financing requested for", e.Payload.WarrantID)
		}
		return nil // returning nil checkpoints the event
	})
	if err != nil {
		log.Fatal(err)
	}
}
