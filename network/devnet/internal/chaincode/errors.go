package chaincode

import "errors"

// ErrConnectionClosed is returned (wrapped) by Execute when the chaincode
// stream breaks or is closed before the transaction completes.
var ErrConnectionClosed = errors.New("chaincode connection closed")

// ErrTransactionFailed is returned (wrapped) when the chaincode answers a
// transaction with ERROR instead of COMPLETED. A chaincode that returns an
// error from its function answers COMPLETED with status 500 instead.
var ErrTransactionFailed = errors.New("transaction returned with failure")

// ErrUnknownChaincode is returned (wrapped) by the Supervisor for a chaincode
// name it does not manage.
var ErrUnknownChaincode = errors.New("chaincode not registered")

// ErrSupervisorClosed is returned (wrapped) by the Supervisor after Close.
var ErrSupervisorClosed = errors.New("chaincode supervisor closed")
