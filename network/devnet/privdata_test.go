package devnet_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/network/devnet"
	"github.com/scfledger/warrants/network/devnet/config"
)

func count(n int32) *int32 { return &n }

// privateConfig is the test network with two collections: "shared" of the
// core enterprise and the bank (member-only reads and writes, its own
// endorsement policy), and "short" of the core enterprise alone, kept for 2
// blocks and endorsed by the core enterprise's peer.
func privateConfig() *config.Network {
	cfg := testConfig("OR('CoreEnterpriseMSP.peer','BankMSP.peer','AssociationMSP.peer')")
	cfg.Chaincodes[0].Collections = config.Collections{Config: []config.Collection{
		{
			Name: "shared", Policy: "OR('CoreEnterpriseMSP.member','BankMSP.member')",
			RequiredPeerCount: count(1), MaxPeerCount: count(1), MemberOnlyRead: true, MemberOnlyWrite: true,
			EndorsementPolicy: &config.CollectionEndorsementPolicy{SignaturePolicy: "OR('CoreEnterpriseMSP.peer','BankMSP.peer')"},
		},
		{
			Name: "all", Policy: "OR('CoreEnterpriseMSP.member','BankMSP.member','AssociationMSP.member')",
			RequiredPeerCount: count(1), MaxPeerCount: count(1),
		},
		{
			Name: "short", Policy: "OR('CoreEnterpriseMSP.member')",
			RequiredPeerCount: count(0), MaxPeerCount: count(1), BlockToLive: 2, MemberOnlyRead: true,
			EndorsementPolicy: &config.CollectionEndorsementPolicy{SignaturePolicy: "OR('CoreEnterpriseMSP.peer')"},
		},
	}}
	return cfg
}

func hashHex(value string) string {
	sum := sha256.Sum256([]byte(value))
	return hex.EncodeToString(sum[:])
}

// putPrivate submits PutPrivate with the value in the transient map and returns the commit status.
func putPrivate(t *testing.T, contract *client.Contract, collection, key, value string, options ...client.ProposalOption) *client.Status {
	t.Helper()
	options = append(options, client.WithArguments(collection, key), client.WithTransient(map[string][]byte{"value": []byte(value)}))
	return submitStatus(t, endorse(t, contract, "PutPrivate", options...))
}

// putPrivateWith submits function with args and the transient entry "value".
func putPrivateWith(t *testing.T, contract *client.Contract, function, value string, args ...string) *client.Status {
	t.Helper()
	return submitStatus(t, endorse(t, contract, function, client.WithArguments(args...), client.WithTransient(map[string][]byte{"value": []byte(value)})))
}

func evaluateOn(contract *client.Contract, org, function string, args ...string) (string, error) {
	result, err := contract.Evaluate(function, client.WithArguments(args...), client.WithEndorsingOrganizations(org))
	return string(result), err
}

// TestPrivateData runs private data collections as Fabric does, through the
// unmodified gateway client and the shim: transient input, member-only access,
// hashes in blocks and on non-members, implicit collections, MVCC on hashed
// reads, collection and key-level endorsement policies, range queries, purge
// and blockToLive.
func TestPrivateData(t *testing.T) {
	network := startNetwork(t, privateConfig(), t.TempDir())
	coreCC := connect(t, network, core, "User1")
	bankCC := connect(t, network, bank, "User1")
	assocCC := connect(t, network, assoc, "User1")
	const secret = "terms-secret-4711"

	status := putPrivate(t, coreCC, "shared", "k1", secret)
	require.Equal(t, peer.TxValidationCode_VALID, status.Code)
	require.NoError(t, network.Err())
	written := status.BlockNumber
	awaitBlock(t, network, written)

	t.Run("Members read the value on their own peers", func(t *testing.T) {
		for _, tc := range []struct {
			contract *client.Contract
			org      string
		}{{coreCC, core}, {bankCC, bank}} {
			value, err := evaluateOn(tc.contract, tc.org, "GetPrivate", "shared", "k1")
			require.NoError(t, err, tc.org)
			require.Equal(t, secret, value, tc.org)
		}
	})
	t.Run("The value is in no block and only on member peers", func(t *testing.T) {
		for _, org := range []string{core, bank, assoc} {
			raw, err := network.StoredBlock(org, written)
			require.NoError(t, err)
			require.NotContains(t, string(raw), secret, "block of %s", org)
			require.Contains(t, string(raw), string(sha256Bytes(secret)), "the block carries the value's hash")
			stored, err := network.StoredPrivateData(org, written)
			require.NoError(t, err)
			if org == assoc {
				require.Empty(t, stored, "a non-member stores no private data")
			} else {
				require.Contains(t, privateValues(t, stored), secret, org)
			}
		}
	})
	t.Run("Deliver with private data gives members their collections only", func(t *testing.T) {
		// The association reads full blocks with its ERP, an admin-type identity
		// (its BlockReaders are its admins and peers).
		for _, tc := range []struct {
			user, name, peer string
			want             bool
		}{{core, "User1", core, true}, {bank, "User1", bank, true}, {assoc, "ERP", core, false}, {assoc, "ERP", assoc, false}} {
			conn, err := network.Dial(tc.peer)
			require.NoError(t, err)
			t.Cleanup(func() { _ = conn.Close() })
			gateway := connectGateway(t, network, tc.user, tc.name, client.WithClientConnection(conn))
			ctx, cancel := context.WithCancel(t.Context())
			events, err := gateway.GetNetwork(network.Channel()).BlockAndPrivateDataEvents(ctx, client.WithStartBlock(written))
			require.NoError(t, err)
			event := <-events
			cancel()
			require.Equal(t, written, event.GetBlock().GetHeader().GetNumber())
			values := privateValues(t, event.GetPrivateDataMap())
			if tc.want {
				require.Contains(t, values, secret, "%s on the peer of %s", tc.user, tc.peer)
			} else {
				require.Empty(t, values, "%s on the peer of %s", tc.user, tc.peer)
			}
		}
	})
	t.Run("A non-member client may not read a member-only collection", func(t *testing.T) {
		_, err := evaluateOn(assocCC, assoc, "GetPrivate", "shared", "k1")
		require.ErrorContains(t, err, "tx creator does not have read access permission")
	})
	t.Run("Anyone may read the hash, on any peer", func(t *testing.T) {
		for _, org := range []string{core, bank, assoc} {
			hash, err := evaluateOn(assocCC, org, "GetPrivateHash", "shared", "k1")
			require.NoError(t, err)
			require.Equal(t, hashHex(secret), hash)
		}
	})
	t.Run("A non-member peer holds only the hash", func(t *testing.T) {
		_, err := evaluateOn(coreCC, assoc, "GetPrivate", "shared", "k1")
		require.ErrorContains(t, err, "private data matching public hash version is not available")
	})
	t.Run("A non-member client may not write a member-only collection", func(t *testing.T) {
		_, err := endorseErr(assocCC, "PutPrivate", client.WithArguments("shared", "k9"), client.WithTransient(map[string][]byte{"value": []byte("x")}))
		require.ErrorContains(t, err, "does not have write access permission")
	})
	t.Run("An undefined collection is refused", func(t *testing.T) {
		_, err := evaluateOn(coreCC, core, "GetPrivate", "nope", "k1")
		require.ErrorContains(t, err, "collection [nope] not defined in the collection config for namespace [basic]")
	})
	t.Run("Range queries list a collection's keys", func(t *testing.T) {
		require.Equal(t, peer.TxValidationCode_VALID, putPrivate(t, coreCC, "shared", "k2", "second").Code)
		result, err := evaluateOn(bankCC, bank, "RangePrivate", "shared", "", "")
		require.NoError(t, err)
		var records []struct{ Key, Value string }
		require.NoError(t, json.Unmarshal([]byte(result), &records))
		require.Len(t, records, 2)
		require.Equal(t, "k1", records[0].Key)
		require.Equal(t, "second", records[1].Value)
	})
	t.Run("Write batches, partial composite keys and multiple reads work on collections", func(t *testing.T) {
		require.Equal(t, peer.TxValidationCode_VALID, putPrivate(t, coreCC, "shared", "p1", "to purge").Code)
		status := putPrivateWith(t, coreCC, "PutPrivateBatch", "batched", "shared", "doc", `["a","b"]`, "p1")
		require.Equal(t, peer.TxValidationCode_VALID, status.Code)
		awaitBlock(t, network, status.BlockNumber)
		result, err := evaluateOn(bankCC, bank, "PrivateByObjectType", "shared", "doc")
		require.NoError(t, err)
		var records []struct{ Key, Value string }
		require.NoError(t, json.Unmarshal([]byte(result), &records))
		require.Equal(t, []struct{ Key, Value string }{{"a", "batched"}, {"b", "batched"}}, records)
		result, err = evaluateOn(bankCC, bank, "GetPrivateMany", "shared", `["k1","p1"]`)
		require.NoError(t, err)
		require.JSONEq(t, `["`+secret+`",""]`, result, "p1 was purged in the batch")
	})
	t.Run("Members beyond maxPeerCount pull the data at commit", func(t *testing.T) {
		for i := range 5 {
			value := fmt.Sprintf("for all %d", i)
			status := putPrivate(t, coreCC, "all", "a", value)
			require.Equal(t, peer.TxValidationCode_VALID, status.Code)
			awaitBlock(t, network, status.BlockNumber)
			for _, org := range []string{core, bank, assoc} {
				got, err := evaluateOn(assocCC, org, "GetPrivate", "all", "a")
				require.NoError(t, err, org)
				require.Equal(t, value, got, org)
			}
		}
	})
	t.Run("Implicit org collections need no definition", func(t *testing.T) {
		status := putPrivate(t, bankCC, "_implicit_org_BankMSP", "loan", "rate 3.1%", client.WithEndorsingOrganizations(bank))
		require.Equal(t, peer.TxValidationCode_VALID, status.Code)
		awaitBlock(t, network, status.BlockNumber)
		value, err := evaluateOn(bankCC, bank, "GetPrivate", "_implicit_org_BankMSP", "loan")
		require.NoError(t, err)
		require.Equal(t, "rate 3.1%", value)
		_, err = evaluateOn(coreCC, core, "GetPrivate", "_implicit_org_BankMSP", "loan")
		require.ErrorContains(t, err, "not available", "the core enterprise's peer holds only the hash")
	})
	t.Run("A collection whose hashes only were read does not restrict the endorsers", func(t *testing.T) {
		status := submitStatus(t, endorse(t, coreCC, "PutPrivateAfterHash",
			client.WithArguments("short", "s9", "_implicit_org_BankMSP", "loan"), client.WithTransient(map[string][]byte{"value": []byte("v")})))
		require.Equal(t, peer.TxValidationCode_VALID, status.Code)
	})
	t.Run("The implicit collection's policy is its org's peers", func(t *testing.T) {
		status := putPrivate(t, bankCC, "_implicit_org_BankMSP", "loan", "rate 9%", client.WithEndorsingOrganizations(core))
		require.Equal(t, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, status.Code)
		value, err := evaluateOn(bankCC, bank, "GetPrivate", "_implicit_org_BankMSP", "loan")
		require.NoError(t, err)
		require.Equal(t, "rate 3.1%", value, "nothing changed")
	})
	t.Run("A collection's endorsement policy overrides the chaincode's", func(t *testing.T) {
		// The chaincode's policy accepts the bank's peer; the collection's does not.
		status := putPrivate(t, bankCC, "short", "s0", "x", client.WithEndorsingOrganizations(bank))
		require.Equal(t, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, status.Code)
		hash, err := evaluateOn(coreCC, core, "GetPrivateHash", "short", "s0")
		require.NoError(t, err)
		require.Empty(t, hash, "nothing changed")
	})
	t.Run("Hashed reads are checked for MVCC conflicts", func(t *testing.T) {
		copyTx := endorse(t, coreCC, "CopyPrivate", client.WithArguments("shared", "k1", "k3"), client.WithEndorsingOrganizations(core))
		require.Equal(t, peer.TxValidationCode_VALID, putPrivate(t, coreCC, "shared", "k1", "changed").Code)
		require.Equal(t, peer.TxValidationCode_MVCC_READ_CONFLICT, submitStatus(t, copyTx).Code)
		hash, err := evaluateOn(coreCC, core, "GetPrivateHash", "shared", "k3")
		require.NoError(t, err)
		require.Empty(t, hash, "nothing changed")
	})
	t.Run("Key-level policies apply to private keys", func(t *testing.T) {
		status := submitStatus(t, endorse(t, coreCC, "SetPrivateEndorsementOrgs", client.WithArguments("shared", "k2", `["BankMSP"]`), client.WithEndorsingOrganizations(core)))
		require.Equal(t, peer.TxValidationCode_VALID, status.Code)
		awaitBlock(t, network, status.BlockNumber)
		require.Equal(t, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, putPrivate(t, coreCC, "shared", "k2", "by core", client.WithEndorsingOrganizations(core)).Code)
		status = putPrivate(t, coreCC, "shared", "k2", "with the bank")
		require.Equal(t, peer.TxValidationCode_VALID, status.Code, "the gateway plans the key's policy")
		awaitBlock(t, network, status.BlockNumber)
		value, err := evaluateOn(coreCC, core, "GetPrivate", "shared", "k2")
		require.NoError(t, err)
		require.Equal(t, "with the bank", value)
	})
	t.Run("A purge removes the key and its earlier values from the private stores", func(t *testing.T) {
		status := submitStatus(t, endorse(t, coreCC, "PurgePrivate", client.WithArguments("shared", "k1")))
		require.Equal(t, peer.TxValidationCode_VALID, status.Code)
		awaitBlock(t, network, status.BlockNumber)
		for _, org := range []string{core, bank} {
			value, err := evaluateOn(coreCC, org, "GetPrivate", "shared", "k1")
			require.NoError(t, err)
			require.Empty(t, value)
			hash, err := evaluateOn(coreCC, org, "GetPrivateHash", "shared", "k1")
			require.NoError(t, err)
			require.Empty(t, hash)
			stored, err := network.StoredPrivateData(org, written)
			require.NoError(t, err)
			require.NotContains(t, privateValues(t, stored), secret, org)
		}
	})
	t.Run("Private data expires after blockToLive blocks", func(t *testing.T) {
		status := putPrivate(t, coreCC, "short", "s1", "brief")
		require.Equal(t, peer.TxValidationCode_VALID, status.Code)
		for range 2 {
			next := submitStatus(t, endorse(t, coreCC, "Put", client.WithArguments("tick", "tock")))
			require.Equal(t, peer.TxValidationCode_VALID, next.Code)
			require.Less(t, next.BlockNumber, status.BlockNumber+3)
			awaitBlock(t, network, next.BlockNumber)
			value, err := evaluateOn(coreCC, core, "GetPrivate", "short", "s1")
			require.NoError(t, err)
			if next.BlockNumber <= status.BlockNumber+2 {
				require.Equal(t, "brief", value, "kept for blockToLive blocks")
			}
		}
		for {
			next := submitStatus(t, endorse(t, coreCC, "Put", client.WithArguments("tick", "tock")))
			awaitBlock(t, network, next.BlockNumber)
			if next.BlockNumber >= status.BlockNumber+3 {
				break
			}
		}
		value, err := evaluateOn(coreCC, core, "GetPrivate", "short", "s1")
		require.NoError(t, err)
		require.Empty(t, value)
		hash, err := evaluateOn(coreCC, core, "GetPrivateHash", "short", "s1")
		require.NoError(t, err)
		require.Empty(t, hash, "the hash expires too")
		stored, err := network.StoredPrivateData(core, status.BlockNumber)
		require.NoError(t, err)
		require.NotContains(t, privateValues(t, stored), "brief")
	})
}

func sha256Bytes(value string) []byte {
	sum := sha256.Sum256([]byte(value))
	return sum[:]
}

// endorseErr endorses a proposal and returns the endorsement error.
func endorseErr(contract *client.Contract, function string, options ...client.ProposalOption) (*client.Transaction, error) {
	proposal, err := contract.NewProposal(function, options...)
	if err != nil {
		return nil, err
	}
	return proposal.Endorse()
}

// awaitBlock waits until every peer has committed block num.
func awaitBlock(t *testing.T, network *devnet.Network, num uint64) {
	t.Helper()
	require.NoError(t, network.WaitForBlock(t.Context(), num))
}

// privateValues lists the values of every private write stored for a block.
func privateValues(t *testing.T, stored map[uint64]*rwset.TxPvtReadWriteSet) []string {
	t.Helper()
	var values []string
	for _, set := range stored {
		for _, ns := range set.GetNsPvtRwset() {
			for _, coll := range ns.GetCollectionPvtRwset() {
				kv := &kvrwset.KVRWSet{}
				require.NoError(t, proto.Unmarshal(coll.GetRwset(), kv))
				for _, w := range kv.GetWrites() {
					values = append(values, string(w.GetValue()))
				}
			}
		}
	}
	return values
}

// TestPrivateDataTransientProtection: as Fabric's gateway, transient data is
// endorsed only by members of the collections the transaction touches, and
// a policy that needs another org is refused with Fabric's explanation.
func TestPrivateDataTransientProtection(t *testing.T) {
	cfg := testConfig("AND('CoreEnterpriseMSP.peer','BankMSP.peer')")
	cfg.Chaincodes[0].Collections = config.Collections{Config: []config.Collection{{
		Name: "coreOnly", Policy: "OR('CoreEnterpriseMSP.member')", RequiredPeerCount: count(0), MaxPeerCount: count(1),
	}}}
	network := startNetwork(t, cfg, t.TempDir())
	coreCC := connect(t, network, core, "User1")

	_, err := endorseErr(coreCC, "PutPrivate", client.WithArguments("coreOnly", "k"), client.WithTransient(map[string][]byte{"value": []byte("v")}))
	require.ErrorContains(t, err, "requires endorsement from organisation(s) that are not in the distribution policy of the private data collection(s): [coreOnly]")

	status := submitStatus(t, endorse(t, coreCC, "DeletePrivate", client.WithArguments("coreOnly", "k")))
	require.Equal(t, peer.TxValidationCode_VALID, status.Code, "without transient data both orgs endorse the blind write")
}

// TestPrivateDataAfterRestart: member peers keep their private data, and
// every peer its hashes and blockToLive bookkeeping, across a restart.
func TestPrivateDataAfterRestart(t *testing.T) {
	dir := t.TempDir()
	cfg := privateConfig()
	network, err := devnet.Start(context.Background(), devnet.Options{Config: cfg, Dir: dir, FreePorts: true})
	require.NoError(t, err)
	coreCC := connect(t, network, core, "User1")
	kept := putPrivate(t, coreCC, "shared", "k", "kept")
	require.Equal(t, peer.TxValidationCode_VALID, kept.Code)
	brief := putPrivate(t, coreCC, "short", "s", "brief")
	require.Equal(t, peer.TxValidationCode_VALID, brief.Code)
	require.NoError(t, network.WaitForBlock(t.Context(), brief.BlockNumber))
	require.NoError(t, network.Close())

	restarted := startNetwork(t, cfg, dir)
	coreCC = connect(t, restarted, core, "User1")
	for _, org := range []string{core, bank} {
		value, err := evaluateOn(coreCC, org, "GetPrivate", "shared", "k")
		require.NoError(t, err)
		require.Equal(t, "kept", value, org)
	}
	hash, err := evaluateOn(coreCC, assoc, "GetPrivateHash", "shared", "k")
	require.NoError(t, err)
	require.Equal(t, hashHex("kept"), hash)

	for {
		next := submitStatus(t, endorse(t, coreCC, "Put", client.WithArguments("tick", "tock")))
		require.NoError(t, restarted.WaitForBlock(t.Context(), next.BlockNumber))
		if next.BlockNumber >= brief.BlockNumber+3 {
			break
		}
	}
	value, err := evaluateOn(coreCC, core, "GetPrivate", "short", "s")
	require.NoError(t, err)
	require.Empty(t, value, "blockToLive still expires after the restart")
}
