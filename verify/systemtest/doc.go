// Package systemtest runs portspec verify and portspec probe for real, in
// network namespaces it makes itself: listeners on documented and
// undocumented ports, the generated nftables ruleset loaded on a peer, a
// peer that answers nothing. The tests need root, ip and nft; they run
// under CI=true or with PORTSPEC_SYSTEM_TESTS=1 and skip otherwise.
//
// Every address is on 10.202.0.0/16 or fd00:202::/48 inside namespaces
// the tests made, with no route anywhere else: no probe leaves them.
package systemtest
