package privdata

import (
	"crypto/sha256"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet/config"
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
		d := NewDistributor(registry(t, 1), orgs, s, nil)
		require.NoError(t, d.Distribute("CoreEnterpriseMSP", "tx", set("warrant", "trade", "w")))
		want := hash([]byte("w"))
		for _, org := range []string{"CoreEnterpriseMSP", "BankMSP"} {
			require.NotNil(t, s[org].CollectionSet("tx", "warrant", "trade", want, hash), org)
		}
		require.Nil(t, s["AssociationMSP"].CollectionSet("tx", "warrant", "trade", want, hash))
		require.Nil(t, s["BankMSP"].CollectionSet("tx", "warrant", "trade", hash([]byte("other")), hash), "the hash must match")
	})
	t.Run("Fewer reachable members than requiredPeerCount fail the endorsement", func(t *testing.T) {
		s := stores()
		d := NewDistributor(registry(t, 1), orgs, s, func(org string) bool { return org != "BankMSP" })
		err := d.Distribute("CoreEnterpriseMSP", "tx", set("warrant", "trade", "w"))
		require.ErrorContains(t, err, "required to disseminate to at least 1 peers")
	})
	t.Run("An implicit collection stays with the endorser", func(t *testing.T) {
		s := stores()
		d := NewDistributor(registry(t, 0), orgs, s, nil)
		require.NoError(t, d.Distribute("CoreEnterpriseMSP", "tx", set("warrant", "_implicit_org_BankMSP", "w")))
		require.Equal(t, 0, s["BankMSP"].Len())
		require.NotNil(t, d.Fetch("tx", "warrant", "_implicit_org_BankMSP", hash([]byte("w")), hash), "a member pulls it from the endorser at commit")
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
