package apptier

// Egress is where the nodes may open HTTPS and HTTP connections outside the
// VPC. With neither field set the nodes reach the whole internet.
type Egress struct {
	// Cidrs are the IPv4 CIDR blocks the nodes may reach.
	Cidrs []string
	// PrefixListIds are the managed prefix lists the nodes may reach.
	PrefixListIds []string
}

// Open reports whether the nodes may reach any address.
func (e Egress) Open() bool { return len(e.Cidrs) == 0 && len(e.PrefixListIds) == 0 }
