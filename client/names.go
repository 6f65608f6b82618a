package client

// Defaults for the channel and chaincode names used everywhere in the project.
const (
	// DefaultChannel is the channel the warrant chaincode runs on.
	DefaultChannel = "warrants"
	// DefaultChaincode is the name the warrant chaincode is deployed under.
	DefaultChaincode = "warrant"
)
