package contracts

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// creatorStub is the fake stub with a transaction creator: a serialized identity of
// an X.509 certificate carrying the scf attributes, as a Fabric CA enrolment gives.
type creatorStub struct {
	*fakeStub
	creator []byte
}

func (s creatorStub) GetCreator() ([]byte, error) { return s.creator, nil }

// creatorOf is the serialized identity of mspID with a certificate carrying attrs
// (Fabric CA's attribute extension, OID 1.2.3.4.5.6.7.8.1).
func creatorOf(b testing.TB, mspID string, attrs map[string]string) []byte {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(b, err)
	value, err := json.Marshal(map[string]any{"attrs": attrs})
	require.NoError(b, err)
	template := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "bench"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		ExtraExtensions: []pkix.Extension{{Id: asn1.ObjectIdentifier{1, 2, 3, 4, 5, 6, 7, 8, 1}, Value: value}}}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	require.NoError(b, err)
	id, err := proto.Marshal(&msp.SerializedIdentity{Mspid: mspID, IdBytes: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})})
	require.NoError(b, err)
	return id
}

// BenchmarkInvokeSplitTransfer runs transfer:SplitTransfer through the whole
// chaincode (contract API routing, identity, strict decoding, the domain, the
// result) over the fake stub, one part and a remainder per split, each split
// on the remainder of the one before (depths 1 to 19, as the real-network load).
func BenchmarkInvokeSplitTransfer(b *testing.B) {
	tree := newBenchTree(b, 4, 0)
	holder := warrant.NewCaller(mspAssoc, benchCreditCode(2), "holder")
	chaincode, err := New(WithAssociationMSP(mspAssoc), WithClock(func() time.Time { return tree.now }))
	require.NoError(b, err)
	stub := creatorStub{fakeStub: tree.stub.clone(), creator: creatorOf(b, holder.MSPID, map[string]string{
		warrant.AttrEntity: holder.Entity, warrant.AttrRole: "holder"})}
	stub.timestamp = tree.now
	recipient := benchCreditCode(3)
	current := tree.rest
	depth := 1
	for i := 0; b.Loop(); i++ {
		if depth >= 19 {
			b.StopTimer()
			current, depth = tree.rest, 1
			stub.fakeStub = tree.stub.clone()
			stub.timestamp = tree.now
			b.StartTimer()
		}
		request, _ := json.Marshal(warrant.SplitTransferRequest{WarrantID: current, Parts: []warrant.Part{{Recipient: recipient, Amount: 1}}})
		stub.txID = fmt.Sprintf("split-%d", i)
		stub.function, stub.args = "transfer:SplitTransfer", []string{string(request)}
		response := chaincode.Invoke(stub)
		if response.Status != 200 {
			b.Fatalf("split %s: %s", current, response.Message)
		}
		var split warrant.SplitResult
		if err := json.Unmarshal(response.Payload, &split); err != nil {
			b.Fatal(err)
		}
		current = split.Children[len(split.Children)-1].ID
		depth++
	}
}
