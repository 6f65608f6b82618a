package assetcc

import (
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
)

// transientValueKey is the transient map entry PutPrivate takes its value from.
const transientValueKey = "value"

// PutPrivate writes the transient entry "value" to key in a collection.
func (c *AssetContract) PutPrivate(ctx contractapi.TransactionContextInterface, collection, key string) error {
	transient, err := ctx.GetStub().GetTransient()
	if err != nil {
		return fmt.Errorf("read transient data: %w", err)
	}
	value, ok := transient[transientValueKey]
	if !ok {
		return errors.New("transient entry \"value\" is missing")
	}
	return ctx.GetStub().PutPrivateData(collection, key, value)
}

// GetPrivate reads key from a collection ("" when absent).
func (c *AssetContract) GetPrivate(ctx contractapi.TransactionContextInterface, collection, key string) (string, error) {
	value, err := ctx.GetStub().GetPrivateData(collection, key)
	if err != nil {
		return "", fmt.Errorf("read private %s/%s: %w", collection, key, err)
	}
	return string(value), nil
}

// GetPrivateHash returns the hex hash of key's value in a collection ("" when absent).
func (c *AssetContract) GetPrivateHash(ctx contractapi.TransactionContextInterface, collection, key string) (string, error) {
	hash, err := ctx.GetStub().GetPrivateDataHash(collection, key)
	if err != nil {
		return "", fmt.Errorf("read private hash %s/%s: %w", collection, key, err)
	}
	return hex.EncodeToString(hash), nil
}

// DeletePrivate deletes key from a collection.
func (c *AssetContract) DeletePrivate(ctx contractapi.TransactionContextInterface, collection, key string) error {
	return ctx.GetStub().DelPrivateData(collection, key)
}

// PurgePrivate purges key, and its earlier values, from a collection.
func (c *AssetContract) PurgePrivate(ctx contractapi.TransactionContextInterface, collection, key string) error {
	return ctx.GetStub().PurgePrivateData(collection, key)
}

// RangePrivate lists a collection's keys in [start, end).
func (c *AssetContract) RangePrivate(ctx contractapi.TransactionContextInterface, collection, start, end string) ([]Record, error) {
	it, err := ctx.GetStub().GetPrivateDataByRange(collection, start, end)
	if err != nil {
		return nil, fmt.Errorf("private range %s: %w", collection, err)
	}
	defer it.Close()
	records := []Record{}
	for it.HasNext() {
		kv, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("private range %s: %w", collection, err)
		}
		records = append(records, Record{Key: kv.GetKey(), Value: string(kv.GetValue())})
	}
	return records, nil
}

// CopyPrivate reads key from a collection and writes its value to another key
// of it (a private read, then a private write).
func (c *AssetContract) CopyPrivate(ctx contractapi.TransactionContextInterface, collection, from, to string) error {
	value, err := ctx.GetStub().GetPrivateData(collection, from)
	if err != nil {
		return fmt.Errorf("read private %s/%s: %w", collection, from, err)
	}
	if value == nil {
		return fmt.Errorf("private key %s/%s does not exist", collection, from)
	}
	return ctx.GetStub().PutPrivateData(collection, to, value)
}

// SetPrivateEndorsementOrgs sets a private key's endorsement policy to
// require a peer of each org.
func (c *AssetContract) SetPrivateEndorsementOrgs(ctx contractapi.TransactionContextInterface, collection, key string, orgs []string) error {
	policy, err := peersOf(orgs)
	if err != nil {
		return err
	}
	return ctx.GetStub().SetPrivateDataValidationParameter(collection, key, policy)
}

// PutPrivateAfterHash reads the hash of a key of one collection, then writes
// the transient entry "value" to key in another (as fabric-samples'
// TransferAsset checks the buyer's collection by hash).
func (c *AssetContract) PutPrivateAfterHash(ctx contractapi.TransactionContextInterface, collection, key, hashCollection, hashKey string) error {
	if _, err := ctx.GetStub().GetPrivateDataHash(hashCollection, hashKey); err != nil {
		return fmt.Errorf("read private hash %s/%s: %w", hashCollection, hashKey, err)
	}
	return c.PutPrivate(ctx, collection, key)
}

// PutPrivateBatch writes, in one shim write batch, the transient entry
// "value" under each key of a collection as the composite key
// (objectType, key), and purges the plain key purge.
func (c *AssetContract) PutPrivateBatch(ctx contractapi.TransactionContextInterface, collection, objectType string, keys []string, purge string) error {
	transient, err := ctx.GetStub().GetTransient()
	if err != nil {
		return fmt.Errorf("read transient data: %w", err)
	}
	stub := ctx.GetStub()
	stub.StartWriteBatch()
	for _, key := range keys {
		composite, err := stub.CreateCompositeKey(objectType, []string{key})
		if err != nil {
			return fmt.Errorf("composite key: %w", err)
		}
		if err := stub.PutPrivateData(collection, composite, transient[transientValueKey]); err != nil {
			return err
		}
	}
	if purge != "" {
		if err := stub.PurgePrivateData(collection, purge); err != nil {
			return err
		}
	}
	return stub.FinishWriteBatch()
}

// PrivateByObjectType lists the composite keys of objectType in a
// collection (a private partial composite key query) with their values.
func (c *AssetContract) PrivateByObjectType(ctx contractapi.TransactionContextInterface, collection, objectType string) ([]Record, error) {
	it, err := ctx.GetStub().GetPrivateDataByPartialCompositeKey(collection, objectType, nil)
	if err != nil {
		return nil, fmt.Errorf("private partial composite key query %s: %w", collection, err)
	}
	defer it.Close()
	records := []Record{}
	for it.HasNext() {
		kv, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("private partial composite key query %s: %w", collection, err)
		}
		_, attrs, err := ctx.GetStub().SplitCompositeKey(kv.GetKey())
		if err != nil {
			return nil, fmt.Errorf("split %q: %w", kv.GetKey(), err)
		}
		records = append(records, Record{Key: attrs[0], Value: string(kv.GetValue())})
	}
	return records, nil
}

// GetPrivateMany reads keys of a collection in one request ("" for absent ones).
func (c *AssetContract) GetPrivateMany(ctx contractapi.TransactionContextInterface, collection string, keys []string) ([]string, error) {
	values, err := ctx.GetStub().GetMultiplePrivateData(collection, keys...)
	if err != nil {
		return nil, fmt.Errorf("read private %s: %w", collection, err)
	}
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out, nil
}
