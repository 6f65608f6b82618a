package channel_test

import (
	"testing"

	"github.com/hyperledger/fabric-config/configtx"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/network/devnet/config"
	"github.com/scfledger/warrants/network/devnet/internal/channel"
	"github.com/scfledger/warrants/network/devnet/internal/crypto"
)

// org3 is the crypto material and channel definition of Org3MSP, an org
// outside the channel that configured builds.
func org3(t *testing.T) (*crypto.Org, configtx.Organization) {
	t.Helper()
	material, err := crypto.Generate(t.TempDir(), []crypto.OrgSpec{{MSPID: "Org3MSP", Domain: "org3.example.com"}})
	require.NoError(t, err)
	org, err := material.Org("Org3MSP")
	require.NoError(t, err)
	definition := channel.Organization(config.Org{MSPID: "Org3MSP", Domain: "org3.example.com", PeerPort: 11051},
		channel.OrgCerts{CA: org.CACert, TLSCA: org.TLSCACert})
	return org, definition
}

// signingIdentity is a user of an org as fabric-config signs with it.
func signingIdentity(t *testing.T, org *crypto.Org, name string) configtx.SigningIdentity {
	t.Helper()
	user, err := org.User(name)
	require.NoError(t, err)
	return configtx.SigningIdentity{Certificate: user.Cert, PrivateKey: user.Key, MSPID: org.MSPID}
}

func admins(t *testing.T, material *crypto.Material, mspIDs ...string) []configtx.SigningIdentity {
	t.Helper()
	var out []configtx.SigningIdentity
	for _, id := range mspIDs {
		org, err := material.Org(id)
		require.NoError(t, err)
		out = append(out, signingIdentity(t, org, crypto.AdminUser))
	}
	return out
}

// rewriteUpdate changes a marshalled config update.
func rewriteUpdate(t *testing.T, update []byte, change func(*common.ConfigUpdate)) []byte {
	t.Helper()
	u := &common.ConfigUpdate{}
	require.NoError(t, proto.Unmarshal(update, u))
	change(u)
	out, err := proto.Marshal(u)
	require.NoError(t, err)
	return out
}

func TestProposeConfigUpdate(t *testing.T) {
	ch, material := configured(t)
	_, org3Definition := org3(t)
	add, err := channel.AddOrgUpdate(ch.Config(), "ch", org3Definition)
	require.NoError(t, err)
	remove, err := channel.RemoveOrgUpdate(ch.Config(), "ch", "Org2MSP")
	require.NoError(t, err)
	org1, err := material.Org("Org1MSP")
	require.NoError(t, err)
	submitter := admins(t, material, "Org1MSP")[0]
	badSignature := func(signers []configtx.SigningIdentity) func(*common.Envelope) {
		return func(envelope *common.Envelope) {
			payload := &common.Payload{}
			require.NoError(t, proto.Unmarshal(envelope.GetPayload(), payload))
			updateEnvelope := &common.ConfigUpdateEnvelope{}
			require.NoError(t, proto.Unmarshal(payload.GetData(), updateEnvelope))
			updateEnvelope.Signatures[1].Signature = updateEnvelope.Signatures[0].Signature
			payload.Data, err = proto.Marshal(updateEnvelope)
			require.NoError(t, err)
			envelope.Payload, err = proto.Marshal(payload)
			require.NoError(t, err)
			require.NoError(t, submitter.SignEnvelope(envelope))
		}
	}
	tests := []struct {
		name    string
		update  []byte
		signers []configtx.SigningIdentity
		tamper  func(*common.Envelope)
		wantErr string
		orgs    []string
	}{
		{"Adding an org signed by a majority of the admins (2 of 2)", add, admins(t, material, "Org1MSP", "Org2MSP"), nil, "", []string{"Org1MSP", "Org2MSP", "Org3MSP"}},
		{"Removing an org signed by a majority of the admins", remove, admins(t, material, "Org1MSP", "Org2MSP"), nil, "", []string{"Org1MSP"}},
		{"Adding an org signed by too few admins (1 of 2)", add, admins(t, material, "Org1MSP"), nil, "/Channel/Application/Admins", nil},
		{"The same admin signing twice", add, admins(t, material, "Org1MSP", "Org1MSP"), nil, "/Channel/Application/Admins", nil},
		{"Clients instead of admins", add, []configtx.SigningIdentity{signingIdentity(t, org1, "User1"), signingIdentity(t, mustOrg(t, material, "Org2MSP"), "User1")}, nil, "/Channel/Application/Admins", nil},
		{"The new org's own admin in place of a member's", add, nil, nil, "/Channel/Application/Admins", nil},
		{"A bad signature", add, admins(t, material, "Org1MSP", "Org2MSP"), badSignature(nil), "/Channel/Application/Admins", nil},
		{"An update for another channel", rewriteUpdate(t, add, func(u *common.ConfigUpdate) { u.ChannelId = "other" }), admins(t, material, "Org1MSP", "Org2MSP"), nil, "channel", nil},
		{"A stale read set", rewriteUpdate(t, add, func(u *common.ConfigUpdate) { u.ReadSet.Groups["Application"].Version++ }), admins(t, material, "Org1MSP", "Org2MSP"), nil, "stale read set", nil},
		{"A read set naming an element that does not exist", rewriteUpdate(t, add, func(u *common.ConfigUpdate) {
			u.ReadSet.Groups["Application"].Groups["Org9MSP"] = &common.ConfigGroup{}
		}), admins(t, material, "Org1MSP", "Org2MSP"), nil, "stale read set", nil},
		{"A version that skips one", rewriteUpdate(t, add, func(u *common.ConfigUpdate) { u.WriteSet.Groups["Application"].Version++ }), admins(t, material, "Org1MSP", "Org2MSP"), nil, "version", nil},
		{"Nothing changed", rewriteUpdate(t, add, func(u *common.ConfigUpdate) { u.WriteSet = proto.Clone(u.ReadSet).(*common.ConfigGroup) }), admins(t, material, "Org1MSP", "Org2MSP"), nil, "changes nothing", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			signers := tt.signers
			if signers == nil {
				org, _ := org3(t)
				signers = []configtx.SigningIdentity{admins(t, material, "Org1MSP")[0], signingIdentity(t, org, crypto.AdminUser)}
			}
			envelope, err := channel.SignedConfigUpdate(tt.update, signers, submitter)
			require.NoError(t, err)
			if tt.tamper != nil {
				tt.tamper(envelope)
			}
			before := ch.Config()
			next, err := ch.ProposeConfigUpdate(envelope)
			require.Same(t, before, ch.Config(), "proposing never changes the channel")
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, before.GetSequence()+1, next.GetSequence())
			var orgs []string
			for name := range next.GetChannelGroup().GetGroups()["Application"].GetGroups() {
				orgs = append(orgs, name)
			}
			require.ElementsMatch(t, tt.orgs, orgs)
		})
	}
}

func mustOrg(t *testing.T, material *crypto.Material, mspID string) *crypto.Org {
	t.Helper()
	org, err := material.Org(mspID)
	require.NoError(t, err)
	return org
}

// configTransaction is the CONFIG transaction an orderer makes of an update:
// the configuration the update produces, signed by signer.
func configTransaction(t *testing.T, signer *crypto.Signer, next *common.Config, update *common.Envelope) *common.Envelope {
	t.Helper()
	data, err := proto.Marshal(&common.ConfigEnvelope{Config: next, LastUpdate: update})
	require.NoError(t, err)
	channelHeader, err := proto.Marshal(&common.ChannelHeader{Type: int32(common.HeaderType_CONFIG), ChannelId: "ch"})
	require.NoError(t, err)
	signatureHeader, err := proto.Marshal(&common.SignatureHeader{Creator: signer.Serialize(), Nonce: []byte("nonce")})
	require.NoError(t, err)
	payload, err := proto.Marshal(&common.Payload{Header: &common.Header{ChannelHeader: channelHeader, SignatureHeader: signatureHeader}, Data: data})
	require.NoError(t, err)
	signature, err := signer.Sign(payload)
	require.NoError(t, err)
	return &common.Envelope{Payload: payload, Signature: signature}
}

func TestCheckConfigTransaction(t *testing.T) {
	_, material := configured(t)
	org3Material, org3Definition := org3(t)
	orderer := signer(t, material, "OrdererMSP")
	newUpdate := func(ch *channel.Channel) (*common.Envelope, *common.Config) {
		update, err := channel.AddOrgUpdate(ch.Config(), "ch", org3Definition)
		require.NoError(t, err)
		envelope, err := channel.SignedConfigUpdate(update, admins(t, material, "Org1MSP", "Org2MSP"), admins(t, material, "Org1MSP")[0])
		require.NoError(t, err)
		next, err := ch.ProposeConfigUpdate(envelope)
		require.NoError(t, err)
		return envelope, next
	}
	tests := []struct {
		name    string
		tx      func(ch *channel.Channel) *common.Envelope
		wantErr string
	}{
		{"The orderer's transaction of a valid update", func(ch *channel.Channel) *common.Envelope {
			update, next := newUpdate(ch)
			return configTransaction(t, orderer, next, update)
		}, ""},
		{"A transaction a peer signed", func(ch *channel.Channel) *common.Envelope {
			update, next := newUpdate(ch)
			return configTransaction(t, signer(t, material, "Org1MSP"), next, update)
		}, "not signed by the orderer"},
		{"A configuration other than the update's result", func(ch *channel.Channel) *common.Envelope {
			update, next := newUpdate(ch)
			next.ChannelGroup.Groups["Application"].Groups["Org3MSP"].Policies["Admins"].ModPolicy = "Writers"
			return configTransaction(t, orderer, next, update)
		}, "does not produce"},
		{"A sequence that skips one", func(ch *channel.Channel) *common.Envelope {
			update, next := newUpdate(ch)
			next.Sequence++
			return configTransaction(t, orderer, next, update)
		}, "sequence"},
		{"A configuration without a valid last update", func(ch *channel.Channel) *common.Envelope {
			update, err := channel.AddOrgUpdate(ch.Config(), "ch", org3Definition)
			require.NoError(t, err)
			envelope, err := channel.SignedConfigUpdate(update, admins(t, material, "Org1MSP"), admins(t, material, "Org1MSP")[0])
			require.NoError(t, err)
			tx := configtx.New(ch.Config())
			require.NoError(t, tx.Application().SetOrganization(org3Definition))
			next := tx.UpdatedConfig()
			next.Sequence++
			return configTransaction(t, orderer, next, envelope)
		}, "/Channel/Application/Admins"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch, _ := configuredWith(t, material)
			apply, err := ch.CheckConfigTransaction(tt.tx(ch))
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				require.Equal(t, []string{"Org1MSP", "Org2MSP"}, ch.Orgs(), "nothing changed")
				return
			}
			require.NoError(t, err)
			require.Equal(t, []string{"Org1MSP", "Org2MSP"}, ch.Orgs(), "the configuration changes only once applied")
			apply()
			require.Equal(t, []string{"Org1MSP", "Org2MSP", "Org3MSP"}, ch.Orgs())
			require.Equal(t, uint64(1), ch.Sequence())
			org3Peer, err := org3Material.NodeSigner()
			require.NoError(t, err)
			data := []byte("endorsed")
			signature, err := org3Peer.Sign(data)
			require.NoError(t, err)
			require.NoError(t, ch.VerifySigned(org3Peer.Serialize(), data, signature), "the new org's identities are members")
		})
	}
}
