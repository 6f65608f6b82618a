package endorser

import (
	"errors"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet/internal/chaincode"
	"github.com/scfledger/warrants/network/devnet/internal/policy"
	"github.com/scfledger/warrants/network/devnet/internal/privdata"
)

// fixedPolicy is satisfied or not, whatever the signatures.
type fixedPolicy struct{ ok bool }

func (p fixedPolicy) EvaluateSignedData([]policy.SignedData) error {
	if p.ok {
		return nil
	}
	return errors.New("unsatisfied")
}

type fakeCollections map[string]*privdata.Collection

func (f fakeCollections) Collection(_, name string) (*privdata.Collection, error) {
	if c, ok := f[name]; ok {
		return c, nil
	}
	return nil, errors.New("collection [" + name + "] not defined")
}

// fakePrivate answers every private request successfully.
type fakePrivate struct{ chaincode.PrivateSimulator }

func (fakePrivate) GetPrivateData(string, string, string) ([]byte, error) { return []byte("v"), nil }
func (fakePrivate) GetPrivateDataHash(string, string, string) ([]byte, error) {
	return []byte("h"), nil
}
func (fakePrivate) SetPrivateData(string, string, string, []byte) error { return nil }

func TestGuardedSimulator(t *testing.T) {
	collections := fakeCollections{
		"open":    {Name: "open", Access: fixedPolicy{false}},
		"members": {Name: "members", Access: fixedPolicy{false}, MemberOnlyRead: true, MemberOnlyWrite: true},
		"mine":    {Name: "mine", Access: fixedPolicy{true}, MemberOnlyRead: true, MemberOnlyWrite: true},
		"hashed":  {Name: "hashed", Access: fixedPolicy{false}, MemberOnlyRead: true},
	}
	guard := func() *guardedSimulator {
		return &guardedSimulator{private: fakePrivate{}, collections: collections}
	}
	t.Run("Member-only rules apply to the creator", func(t *testing.T) {
		g := guard()
		_, err := g.GetPrivateData("cc", "members", "k")
		require.EqualError(t, err, "tx creator does not have read access permission on privatedata in chaincodeName:cc collectionName: members")
		require.EqualError(t, g.SetPrivateData("cc", "members", "k", []byte("v")), "tx creator does not have write access permission on privatedata in chaincodeName:cc collectionName: members")
		_, err = g.GetPrivateData("cc", "open", "k")
		require.NoError(t, err, "without memberOnlyRead anyone reads")
		_, err = g.GetPrivateData("cc", "mine", "k")
		require.NoError(t, err, "a member reads")
		_, err = g.GetPrivateDataHash("cc", "hashed", "k")
		require.NoError(t, err, "hashes are readable by anyone")
		_, err = g.GetPrivateData("cc", "nope", "k")
		require.ErrorContains(t, err, "not defined")
	})
	t.Run("The interest names collections written or read, not those read by hash", func(t *testing.T) {
		g := guard()
		_, err := g.GetPrivateData("cc", "open", "k")
		require.NoError(t, err)
		_, err = g.GetPrivateDataHash("cc", "hashed", "k")
		require.NoError(t, err)
		require.NoError(t, g.SetPrivateData("cc", "mine", "k", []byte("v")))
		got := interest("cc", g)
		want := []*peer.ChaincodeCall{
			{Name: "cc"},
			{Name: "cc", CollectionNames: []string{"mine"}, NoPrivateReads: true},
			{Name: "cc", CollectionNames: []string{"open"}, NoPrivateReads: false},
		}
		require.Len(t, got.GetChaincodes(), len(want))
		for i := range want {
			require.Equal(t, want[i].GetCollectionNames(), got.GetChaincodes()[i].GetCollectionNames())
			require.Equal(t, want[i].GetNoPrivateReads(), got.GetChaincodes()[i].GetNoPrivateReads())
		}
	})
}
