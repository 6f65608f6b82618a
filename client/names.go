package client

// Contract names of the warrant chaincode, as clients address them ("issuance:Issue").
// They are the one place the client spells them.
const (
	// AdminContract onboards enterprises and sets parameters and credit lines.
	AdminContract = "admin"
	// IssuanceContract issues, applies for, confirms and cancels warrants.
	IssuanceContract = "issuance"
	// RegistryContract verifies trade backgrounds and registers warrants.
	RegistryContract = "registry"
	// TransferContract splits, transfers, accepts, rejects and reclaims parts.
	TransferContract = "transfer"
	// CustodyContract deposits warrants with a custodian bank and releases them.
	CustodyContract = "custody"
	// FinanceContract handles financing requests, pledges and factoring.
	FinanceContract = "finance"
	// SettlementContract pays warrants at maturity.
	SettlementContract = "settlement"
	// RegulatorContract freezes and unfreezes warrants.
	RegulatorContract = "regulator"
	// QueryContract answers the read-only lookups.
	QueryContract = "query"
)

// Defaults for the channel and chaincode names used everywhere in the project.
const (
	// DefaultChannel is the channel the warrant chaincode runs on.
	DefaultChannel = "warrants"
	// DefaultChaincode is the name the warrant chaincode is deployed under.
	DefaultChaincode = "warrant"
)
