// Package cast is the project's fictional cast of enterprises, the one definition every
// Go test and test network of the module uses: credit codes, names, orgs, roles,
// controllers, the dev-network user acting for each enterprise, and the trade behind
// the first warrant. The data is cast.yaml, embedded in the binary, so nothing is read
// from disk at run time.
//
// Values are plain strings and numbers: the package imports nothing of the project
// (its tests import network/devnet/config to check the users against the default
// network), so even the chaincode's own tests may use it; callers convert roles with
// warrant.Role.
package cast
