package channel

import (
	"fmt"

	"github.com/hyperledger/fabric-config/configtx"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
)

// AddOrgUpdate computes the config update that adds an application org to
// the configuration, as configtxlator compute_update does after the org's
// definition is added to the Application group (fabric-samples' addOrg3).
func AddOrgUpdate(current *common.Config, channelID string, org configtx.Organization) ([]byte, error) {
	tx := configtx.New(current)
	if tx.Application().Organization(org.Name) != nil {
		return nil, fmt.Errorf("add org %s: already a member of channel %s", org.Name, channelID)
	}
	if err := tx.Application().SetOrganization(org); err != nil {
		return nil, fmt.Errorf("add org %s: %w", org.Name, err)
	}
	for _, anchor := range org.AnchorPeers {
		if err := tx.Application().Organization(org.Name).AddAnchorPeer(anchor); err != nil {
			return nil, fmt.Errorf("add org %s: anchor peer: %w", org.Name, err)
		}
	}
	update, err := tx.ComputeMarshaledUpdate(channelID)
	if err != nil {
		return nil, fmt.Errorf("add org %s: compute update: %w", org.Name, err)
	}
	return update, nil
}

// RemoveOrgUpdate computes the config update that removes an application
// org from the configuration.
func RemoveOrgUpdate(current *common.Config, channelID, mspID string) ([]byte, error) {
	tx := configtx.New(current)
	if tx.Application().Organization(mspID) == nil {
		return nil, fmt.Errorf("remove org %s: not a member of channel %s", mspID, channelID)
	}
	tx.Application().RemoveOrganization(mspID)
	update, err := tx.ComputeMarshaledUpdate(channelID)
	if err != nil {
		return nil, fmt.Errorf("remove org %s: compute update: %w", mspID, err)
	}
	return update, nil
}

// SignedConfigUpdate is the CONFIG_UPDATE envelope `peer channel signconfigtx`
// and `peer channel update` produce: the update with one signature of each
// signer, the whole envelope signed by submitter.
func SignedConfigUpdate(update []byte, signers []configtx.SigningIdentity, submitter configtx.SigningIdentity) (*common.Envelope, error) {
	signatures := make([]*common.ConfigSignature, 0, len(signers))
	for _, signer := range signers {
		signature, err := signer.CreateConfigSignature(update)
		if err != nil {
			return nil, fmt.Errorf("config update signature of %s: %w", signer.MSPID, err)
		}
		signatures = append(signatures, signature)
	}
	envelope, err := configtx.NewEnvelope(update, signatures...)
	if err != nil {
		return nil, fmt.Errorf("config update envelope: %w", err)
	}
	if err := submitter.SignEnvelope(envelope); err != nil {
		return nil, fmt.Errorf("config update envelope: %w", err)
	}
	return envelope, nil
}
