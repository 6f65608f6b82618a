package peer

import (
	"github.com/scfledger/warrants/network/devnet/internal/chaincode"
	"github.com/scfledger/warrants/network/devnet/internal/ledger"
)

// simulator presents the ledger's simulator with the iterator types the
// chaincode package declares (same methods, distinct named interfaces).
type simulator struct {
	*ledger.Simulator
}

func (s simulator) GetStateRangeScanIterator(namespace, start, end string) (chaincode.StateIterator, error) {
	return s.Simulator.GetStateRangeScanIterator(namespace, start, end)
}

func (s simulator) GetStateRangeScanIteratorWithPagination(namespace, start, end string, pageSize int32) (chaincode.StateIterator, error) {
	return s.Simulator.GetStateRangeScanIteratorWithPagination(namespace, start, end, pageSize)
}

func (s simulator) GetHistoryForKey(namespace, key string) (chaincode.HistoryIterator, error) {
	return s.Simulator.GetHistoryForKey(namespace, key)
}

func (s simulator) GetPrivateDataRangeScanIterator(namespace, collection, start, end string) (chaincode.StateIterator, error) {
	return s.Simulator.GetPrivateDataRangeScanIterator(namespace, collection, start, end)
}
