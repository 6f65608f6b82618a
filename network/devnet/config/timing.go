package config

import "time"

// Timeouts bound how long the network and the gateway clients it makes wait.
// A zero field takes its default (see [Timeouts.WithDefaults]).
type Timeouts struct {
	// Startup bounds how long starting a network waits for every peer to catch
	// up with the orderer and every chaincode to connect.
	Startup Duration `yaml:"startup,omitempty"`
	// Shutdown bounds how long a stopping network may take.
	Shutdown Duration `yaml:"shutdown,omitempty"`
	// Endorsement bounds each endorsement a peer's gateway asks of a peer.
	Endorsement Duration `yaml:"endorsement,omitempty"`
	// ChaincodeDial bounds one connection attempt to a chaincode server.
	ChaincodeDial Duration `yaml:"chaincodeDial,omitempty"`
	// ChaincodeStop is how long a launched chaincode may take to exit after
	// SIGTERM before it is killed.
	ChaincodeStop Duration `yaml:"chaincodeStop,omitempty"`
	// Evaluate, Endorse, Submit and CommitStatus bound each step of a
	// transaction made through a gateway client the network connects.
	Evaluate     Duration `yaml:"evaluate,omitempty"`
	Endorse      Duration `yaml:"endorse,omitempty"`
	Submit       Duration `yaml:"submit,omitempty"`
	CommitStatus Duration `yaml:"commitStatus,omitempty"`
}

// DefaultTimeouts are the timeouts of a network description that sets none.
var DefaultTimeouts = Timeouts{
	Startup:       Duration(2 * time.Minute),
	Shutdown:      Duration(time.Minute),
	Endorsement:   Duration(30 * time.Second),
	ChaincodeDial: Duration(10 * time.Second),
	ChaincodeStop: Duration(3 * time.Second),
	Evaluate:      Duration(30 * time.Second),
	Endorse:       Duration(30 * time.Second),
	Submit:        Duration(30 * time.Second),
	CommitStatus:  Duration(time.Minute),
}

// WithDefaults returns t with every zero field set to its default.
func (t Timeouts) WithDefaults() Timeouts {
	defaults := DefaultTimeouts.fields()
	for name, field := range t.fields() {
		if *field == 0 {
			*field = *defaults[name]
		}
	}
	return t
}

// fields are the timeouts by YAML name.
func (t *Timeouts) fields() map[string]*Duration {
	return map[string]*Duration{
		"startup": &t.Startup, "shutdown": &t.Shutdown, "endorsement": &t.Endorsement,
		"chaincodeDial": &t.ChaincodeDial, "chaincodeStop": &t.ChaincodeStop,
		"evaluate": &t.Evaluate, "endorse": &t.Endorse, "submit": &t.Submit, "commitStatus": &t.CommitStatus,
	}
}

// named are the timeouts' values by YAML name.
func (t Timeouts) named() map[string]Duration {
	values := map[string]Duration{}
	for name, field := range t.fields() {
		values[name] = *field
	}
	return values
}

// Protocol constants: durations fixed by the protocols and conventions the
// dev network follows, not tuned per network.
const (
	// DefaultBatchTimeout is how long the orderer waits by default to fill a
	// block (Fabric's sample networks wait 2s; a dev network answers faster).
	DefaultBatchTimeout = 50 * time.Millisecond
	// ChaincodeKeepaliveTime and ChaincodeKeepaliveTimeout are the peer's
	// keepalive pings on a chaincode connection: no more often than the shim
	// server's enforcement policy allows (one ping a minute).
	ChaincodeKeepaliveTime    = 2 * time.Minute
	ChaincodeKeepaliveTimeout = 20 * time.Second
	// ChaincodeReconnectMin and ChaincodeReconnectMax bound the backoff
	// between attempts to reach a chaincode server that is not (yet) there.
	ChaincodeReconnectMin = 20 * time.Millisecond
	ChaincodeReconnectMax = time.Second
	// CertificateValidity is how long generated certificates are valid, and
	// CertificateBackdate how far before generation they start to be, so
	// that a clock slightly behind still accepts them.
	CertificateValidity = 10 * 365 * 24 * time.Hour
	CertificateBackdate = 5 * time.Minute
)
