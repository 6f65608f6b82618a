package privdata

import (
	"crypto/sha256"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet/config"
	"github.com/scfledger/warrants/network/devnet/internal/ledger"
	"github.com/scfledger/warrants/network/devnet/internal/policy"
)

type noIdentities struct{}

func (noIdentities) Deserialize([]byte) (policy.Identity, error) { return nil, nil }

func count(n int32) *int32 { return &n }

func registry(t *testing.T, required int32) *Registry {
	t.Helper()
	cfg := config.Default()
	cfg.Chaincodes[0].Collections = config.Collections{Config: []config.Collection{{
		Name: "trade", Policy: "OR('CoreEnterpriseMSP.member','BankMSP.member')",
		RequiredPeerCount: count(required), MaxPeerCount: count(1), BlockToLive: 7,
	}}}
	r, err := New(cfg, noIdentities{})
	require.NoError(t, err)
	return r
}

func set(ns, collection string, raw string) *rwset.TxPvtReadWriteSet {
	return &rwset.TxPvtReadWriteSet{NsPvtRwset: []*rwset.NsPvtReadWriteSet{{
		Namespace: ns, CollectionPvtRwset: []*rwset.CollectionPvtReadWriteSet{{CollectionName: collection, Rwset: []byte(raw)}},
	}}}
}

func hash(data []byte) []byte {
	sum := sha256.Sum256(data)
	return sum[:]
}

func wanted(collection, raw string) Wanted {
	return Wanted{TxID: "tx", Block: 5, Tx: 1, Namespace: "warrant", Collection: collection, Hash: hash([]byte(raw))}
}

// committedStore is a peer's private data store holding one block.
type committedStore struct {
	block uint64
	data  ledger.BlockPrivateData
}

func (c committedStore) PrivateData(block uint64) (ledger.BlockPrivateData, error) {
	if block != c.block {
		return nil, nil
	}
	return c.data, nil
}

func TestRegistry(t *testing.T) {
	r := registry(t, 1)
	c, err := r.Collection("warrant", "trade")
	require.NoError(t, err)
	require.Equal(t, []string{"CoreEnterpriseMSP", "BankMSP"}, c.Members)
	require.EqualValues(t, 7, r.BlockToLive("warrant", "trade"))

	implicit, err := r.Collection("warrant", "_implicit_org_BankMSP")
	require.NoError(t, err)
	require.True(t, implicit.Implicit)
	require.Equal(t, []string{"BankMSP"}, implicit.Members)
	require.NotNil(t, implicit.Endorsement)

	for _, name := range []string{"nope", "_implicit_org_Org9MSP"} {
		_, err = r.Collection("warrant", name)
		require.EqualError(t, err, "collection ["+name+"] not defined in the collection config for namespace [warrant]")
	}
	_, err = r.Collection("other", "trade")
	require.Error(t, err, "collections belong to their chaincode")
}

func TestDistribution(t *testing.T) {
	orgs := []string{"CoreEnterpriseMSP", "BankMSP", "AssociationMSP"}
	stores := func() map[string]*TransientStore {
		m := map[string]*TransientStore{}
		for _, org := range orgs {
			m[org] = NewTransientStore()
		}
		return m
	}
	t.Run("Members get their collection, others nothing", func(t *testing.T) {
		s := stores()
		d := NewDistributor(registry(t, 1), orgs, s, nil, nil)
		require.NoError(t, d.Distribute("CoreEnterpriseMSP", "tx", set("warrant", "trade", "w")))
		want := wanted("trade", "w")
		for _, org := range []string{"CoreEnterpriseMSP", "BankMSP"} {
			require.NotNil(t, s[org].CollectionSet(want), org)
		}
		require.Nil(t, s["AssociationMSP"].CollectionSet(want))
		require.Nil(t, s["BankMSP"].CollectionSet(wanted("trade", "other")), "the hash must match")
	})
	t.Run("Fewer reachable members than requiredPeerCount fail the endorsement", func(t *testing.T) {
		s := stores()
		d := NewDistributor(registry(t, 1), orgs, s, func(org string) bool { return org != "BankMSP" }, nil)
		err := d.Distribute("CoreEnterpriseMSP", "tx", set("warrant", "trade", "w"))
		require.ErrorContains(t, err, "required to disseminate to at least 1 peers")
	})
	t.Run("An implicit collection stays with the endorser", func(t *testing.T) {
		s := stores()
		d := NewDistributor(registry(t, 0), orgs, s, nil, nil)
		require.NoError(t, d.Distribute("CoreEnterpriseMSP", "tx", set("warrant", "_implicit_org_BankMSP", "w")))
		require.Equal(t, 0, s["BankMSP"].Len())
		require.NotNil(t, d.Fetch(wanted("_implicit_org_BankMSP", "w")), "a member pulls it from the endorser at commit")
	})
	t.Run("A member that missed the data pulls it from a member that committed it", func(t *testing.T) {
		s := stores() // every transient store already purged
		bank := committedStore{block: 5, data: ledger.BlockPrivateData{1: set("warrant", "trade", "w")}}
		d := NewDistributor(registry(t, 0), orgs, s, nil, func(org string) PrivateStore {
			if org == "BankMSP" {
				return bank
			}
			return committedStore{}
		})
		require.NotNil(t, d.Fetch(wanted("trade", "w")))
		require.Nil(t, d.Fetch(wanted("trade", "other")), "the hash must match")
		other := wanted("trade", "w")
		other.Tx = 0
		require.Nil(t, d.Fetch(other), "the transaction must match")
	})
	t.Run("Committed transactions and old ones leave the transient store", func(t *testing.T) {
		store := NewTransientStore()
		store.Persist("a", set("warrant", "trade", "w"))
		store.Persist("b", set("warrant", "trade", "w"))
		store.Committed([]string{"a"}, 1)
		require.Equal(t, 1, store.Len())
		store.Committed(nil, RetentionBlocks+2)
		require.Equal(t, 0, store.Len())
	})
}
