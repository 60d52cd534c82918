// Package cidrplan computes the subnet layout of the VPC: one subnet per tier per
// availability zone, carved from the VPC CIDR at fixed slots so that adding an AZ
// or a tier never moves an existing subnet (moving one would replace it and
// everything inside it).
package cidrplan

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

// Tier is a subnet tier of the VPC.
type Tier int

const (
	// PrivateApp holds the app nodes, the ops function and the interface endpoints;
	// it reaches the internet through NAT.
	PrivateApp Tier = iota
	// PrivateData holds Aurora, EFS mount targets, Amazon MQ and OpenSearch; it has
	// no route to the internet at all.
	PrivateData
	// Public holds the load balancer and the NAT gateways.
	Public
)

// Tiers lists every tier in slot order.
var Tiers = []Tier{PrivateApp, PrivateData, Public}

// String returns the tier's name as used in resource names and outputs.
func (t Tier) String() string {
	switch t {
	case PrivateApp:
		return "app"
	case PrivateData:
		return "data"
	case Public:
		return "public"
	}
	return fmt.Sprintf("tier%d", int(t))
}

// SlotsPerTier is how many subnet slots each tier reserves. Three AZs are used at
// most; the fourth slot keeps room for a future AZ without renumbering.
const SlotsPerTier = 4

// MinNewBits is how many bits a subnet prefix must add to the VPC prefix so that
// every tier's slots fit: 3 tiers x 4 slots = 12 <= 2^4.
const MinNewBits = 4

// MaxSubnetPrefix is the smallest subnet AWS allows (/28).
const MaxSubnetPrefix = 28

// Subnet is one planned subnet.
type Subnet struct {
	Tier    Tier
	AZIndex int
	CIDR    netip.Prefix
}

// Plan returns the subnets for azCount AZs, each of length subnetPrefix, carved
// from vpc. The subnet of tier t in AZ i sits at slot t*SlotsPerTier+i.
func Plan(vpc netip.Prefix, subnetPrefix, azCount int) ([]Subnet, error) {
	if !vpc.Addr().Is4() {
		return nil, fmt.Errorf("VPC CIDR %s is not IPv4", vpc)
	}
	if vpc != vpc.Masked() {
		return nil, fmt.Errorf("VPC CIDR %s has host bits set (did you mean %s?)", vpc, vpc.Masked())
	}
	if azCount < 1 || azCount > SlotsPerTier {
		return nil, fmt.Errorf("AZ count %d is outside 1..%d", azCount, SlotsPerTier)
	}
	if subnetPrefix > MaxSubnetPrefix {
		return nil, fmt.Errorf("subnet prefix /%d is smaller than the /%d AWS allows", subnetPrefix, MaxSubnetPrefix)
	}
	if subnetPrefix-vpc.Bits() < MinNewBits {
		return nil, fmt.Errorf("subnet prefix /%d leaves room for fewer than %d subnets in /%d (needs at least /%d)",
			subnetPrefix, len(Tiers)*SlotsPerTier, vpc.Bits(), vpc.Bits()+MinNewBits)
	}
	out := make([]Subnet, 0, len(Tiers)*azCount)
	for _, t := range Tiers {
		for az := 0; az < azCount; az++ {
			cidr, err := nthSubnet(vpc, subnetPrefix, int(t)*SlotsPerTier+az)
			if err != nil {
				return nil, err
			}
			out = append(out, Subnet{Tier: t, AZIndex: az, CIDR: cidr})
		}
	}
	return out, nil
}

// ByTier returns the CIDRs of one tier, in AZ order.
func ByTier(subnets []Subnet, t Tier) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range subnets {
		if s.Tier == t {
			out = append(out, s.CIDR)
		}
	}
	return out
}

// nthSubnet returns the index-th subnet of length bits inside vpc.
func nthSubnet(vpc netip.Prefix, bits, index int) (netip.Prefix, error) {
	newBits := bits - vpc.Bits()
	if index >= 1<<newBits {
		return netip.Prefix{}, fmt.Errorf("slot %d does not fit in %s with /%d subnets", index, vpc, bits)
	}
	base := vpc.Addr().As4()
	var out [4]byte
	binary.BigEndian.PutUint32(out[:], binary.BigEndian.Uint32(base[:])+uint32(index)<<(32-bits))
	return netip.PrefixFrom(netip.AddrFrom4(out), bits), nil
}
