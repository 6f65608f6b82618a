package warrant

// Contract names of the warrant chaincode, as clients address them ("issuance:Issue").
// The contracts adapter registers its contracts under these names and the client
// calls them by the same constants: one definition for both.
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
