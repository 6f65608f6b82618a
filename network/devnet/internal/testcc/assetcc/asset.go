package assetcc

import (
	"errors"
	"fmt"
	"os"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/statebased"
	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
)

// roleAttribute is the certificate attribute Echo reports.
const roleAttribute = "scf.role"

// AssetContract stores string values under string keys.
type AssetContract struct {
	contractapi.Contract
}

// Record is one key and its value.
type Record struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Page is one page of a paged range query.
type Page struct {
	Records  []Record `json:"records"`
	Count    int32    `json:"count"`
	Bookmark string   `json:"bookmark"`
}

// Modification is one entry of a key's history.
type Modification struct {
	TxID     string `json:"txId"`
	Value    string `json:"value"`
	IsDelete bool   `json:"isDelete"`
}

// Caller describes the transaction's creator.
type Caller struct {
	MSPID string `json:"mspId"`
	Role  string `json:"role"`
}

// Put stores value under key.
func (c *AssetContract) Put(ctx contractapi.TransactionContextInterface, key, value string) error {
	return ctx.GetStub().PutState(key, []byte(value))
}

// Get returns the value under key, failing when there is none.
func (c *AssetContract) Get(ctx contractapi.TransactionContextInterface, key string) (string, error) {
	value, err := ctx.GetStub().GetState(key)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", key, err)
	}
	if value == nil {
		return "", fmt.Errorf("asset %s does not exist", key)
	}
	return string(value), nil
}

// Delete removes key.
func (c *AssetContract) Delete(ctx contractapi.TransactionContextInterface, key string) error {
	return ctx.GetStub().DelState(key)
}

// Range returns every record in [start, end).
func (c *AssetContract) Range(ctx contractapi.TransactionContextInterface, start, end string) ([]Record, error) {
	it, err := ctx.GetStub().GetStateByRange(start, end)
	if err != nil {
		return nil, fmt.Errorf("range [%s, %s): %w", start, end, err)
	}
	defer it.Close()
	records := []Record{}
	for it.HasNext() {
		kv, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("range [%s, %s): %w", start, end, err)
		}
		records = append(records, Record{Key: kv.GetKey(), Value: string(kv.GetValue())})
	}
	return records, nil
}

// RangePage returns one page of the records in [start, end) after bookmark.
func (c *AssetContract) RangePage(ctx contractapi.TransactionContextInterface, start, end string, pageSize int32, bookmark string) (*Page, error) {
	it, meta, err := ctx.GetStub().GetStateByRangeWithPagination(start, end, pageSize, bookmark)
	if err != nil {
		return nil, fmt.Errorf("paged range [%s, %s): %w", start, end, err)
	}
	defer it.Close()
	page := &Page{Records: []Record{}, Count: meta.GetFetchedRecordsCount(), Bookmark: meta.GetBookmark()}
	for it.HasNext() {
		kv, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("paged range [%s, %s): %w", start, end, err)
		}
		page.Records = append(page.Records, Record{Key: kv.GetKey(), Value: string(kv.GetValue())})
	}
	return page, nil
}

// History returns the modifications of key, newest first.
func (c *AssetContract) History(ctx contractapi.TransactionContextInterface, key string) ([]Modification, error) {
	it, err := ctx.GetStub().GetHistoryForKey(key)
	if err != nil {
		return nil, fmt.Errorf("history of %s: %w", key, err)
	}
	defer it.Close()
	history := []Modification{}
	for it.HasNext() {
		km, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("history of %s: %w", key, err)
		}
		history = append(history, Modification{TxID: km.GetTxId(), Value: string(km.GetValue()), IsDelete: km.GetIsDelete()})
	}
	return history, nil
}

// SetEndorsementOrgs sets key's endorsement policy to require a peer of each org.
func (c *AssetContract) SetEndorsementOrgs(ctx contractapi.TransactionContextInterface, key string, orgs []string) error {
	policy, err := peersOf(orgs)
	if err != nil {
		return err
	}
	return ctx.GetStub().SetStateValidationParameter(key, policy)
}

// peersOf is a key-level endorsement policy that needs a peer of each org.
func peersOf(orgs []string) ([]byte, error) {
	ep, err := statebased.NewStateEP(nil)
	if err != nil {
		return nil, fmt.Errorf("new key policy: %w", err)
	}
	if err := ep.AddOrgs(statebased.RoleTypePeer, orgs...); err != nil {
		return nil, fmt.Errorf("add orgs to key policy: %w", err)
	}
	policy, err := ep.Policy()
	if err != nil {
		return nil, fmt.Errorf("marshal key policy: %w", err)
	}
	return policy, nil
}

// GetEndorsementOrgs lists the orgs of key's endorsement policy.
func (c *AssetContract) GetEndorsementOrgs(ctx contractapi.TransactionContextInterface, key string) ([]string, error) {
	policy, err := ctx.GetStub().GetStateValidationParameter(key)
	if err != nil {
		return nil, fmt.Errorf("read key policy of %s: %w", key, err)
	}
	ep, err := statebased.NewStateEP(policy)
	if err != nil {
		return nil, fmt.Errorf("parse key policy of %s: %w", key, err)
	}
	return ep.ListOrgs(), nil
}

// Fail always fails with message.
func (c *AssetContract) Fail(_ contractapi.TransactionContextInterface, message string) error {
	return errors.New(message)
}

// Emit sets a chaincode event.
func (c *AssetContract) Emit(ctx contractapi.TransactionContextInterface, name, payload string) error {
	return ctx.GetStub().SetEvent(name, []byte(payload))
}

// Echo reports the creator's MSP ID and its scf.role attribute.
func (c *AssetContract) Echo(ctx contractapi.TransactionContextInterface) (*Caller, error) {
	mspID, err := ctx.GetClientIdentity().GetMSPID()
	if err != nil {
		return nil, fmt.Errorf("read creator MSP ID: %w", err)
	}
	role, _, err := ctx.GetClientIdentity().GetAttributeValue(roleAttribute)
	if err != nil {
		return nil, fmt.Errorf("read creator attribute %s: %w", roleAttribute, err)
	}
	return &Caller{MSPID: mspID, Role: role}, nil
}

// PeerProcess reports the chaincode process's view of its peer: the MSP ID
// the shim reads from CORE_PEER_LOCALMSPID, and the value of the environment
// variable name.
func (c *AssetContract) PeerProcess(_ contractapi.TransactionContextInterface, name string) ([]string, error) {
	mspID, err := shim.GetMSPID()
	if err != nil {
		return nil, fmt.Errorf("read the peer's MSP ID: %w", err)
	}
	return []string{mspID, os.Getenv(name)}, nil
}
