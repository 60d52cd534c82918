package pricing

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/morpheus-ha/morpheus-ha/internal/plan"
)

// Row is one billed item: a quantity of one priced unit and what it costs a
// month. Resources of the same kind with the same assumption share a row.
type Row struct {
	// Service is the AWS service billing the row, e.g. "EC2" or "Aurora".
	Service string `json:"service"`
	// Resource says what is billed, e.g. "m6i.2xlarge instances".
	Resource string `json:"resource"`
	// Quantity is the monthly quantity in Unit.
	Quantity float64 `json:"quantity"`
	// Unit is the price's unit, e.g. "instance-hour".
	Unit string `json:"unit"`
	// UnitUSD is the price of one Unit.
	UnitUSD float64 `json:"unitUsd"`
	// MonthlyUSD is Quantity × UnitUSD.
	MonthlyUSD float64 `json:"monthlyUsd"`
	// Assumption states how Quantity was derived.
	Assumption string `json:"assumption"`
	// PriceKey names the price in the region's table.
	PriceKey string `json:"priceKey"`
	// PriceBasis and PriceSource are the price's, so an unconfirmed figure
	// shows.
	PriceBasis  string `json:"priceBasis"`
	PriceSource string `json:"priceSource"`
	// Resources names the inventory entries the row covers.
	Resources []string `json:"resources"`
}

// NotPriced is a resource (or a billable part of one) the table cannot price.
// It is listed, never counted as zero.
type NotPriced struct {
	// Type and Name identify the inventory entry.
	Type string `json:"type"`
	Name string `json:"name"`
	// Reason says what is missing, e.g. the price key the table lacks.
	Reason string `json:"reason"`
}

// Free is a resource type found in the inventory that costs nothing by itself.
type Free struct {
	// Type is the resource type.
	Type string `json:"type"`
	// Count is how many entries of Type were free for Reason.
	Count int `json:"count"`
	// Reason says why they cost nothing.
	Reason string `json:"reason"`
}

// ServiceTotal is one service's share of the total.
type ServiceTotal struct {
	// Service is a Row's service.
	Service string `json:"service"`
	// MonthlyUSD is the sum of the service's rows.
	MonthlyUSD float64 `json:"monthlyUsd"`
}

// Estimate is a stack's monthly on-demand cost estimate.
type Estimate struct {
	// Project and Stack name the estimated stack.
	Project string `json:"project"`
	Stack   string `json:"stack"`
	// Region is the region whose prices were used.
	Region string `json:"region"`
	// PriceDate and PriceSource describe the price table used.
	PriceDate   string `json:"priceDate"`
	PriceSource string `json:"priceSource"`
	// Assumptions are the usage figures behind the rows.
	Assumptions Assumptions `json:"assumptions"`
	// Rows are sorted by service, then resource.
	Rows []Row `json:"rows"`
	// Services are the per-service subtotals, sorted by service.
	Services []ServiceTotal `json:"services"`
	// TotalUSD is the sum of the rows.
	TotalUSD float64 `json:"totalUsd"`
	// NotPriced lists what the total leaves out because the table has no price.
	NotPriced []NotPriced `json:"notPriced"`
	// Free lists the free resource types found, with why each is free.
	Free []Free `json:"free"`
	// NotEstimated lists charges left out on purpose.
	NotEstimated []string `json:"notEstimated"`
}

// Total is the estimated monthly cost in USD of everything priced. The budget
// default is meant to be derived from it (cost.monthlyBudgetUsd = Total rounded
// up by 20%); check NotPriced first, since an unpriced resource makes the total
// an underestimate.
func (e Estimate) Total() float64 { return e.TotalUSD }

// Compute prices inv with table t and usage assumptions a. Component resources
// are skipped (their children are priced); every other resource is priced,
// listed as free, or listed as not priced.
func Compute(inv plan.Inventory, t Table, a Assumptions) Estimate {
	c := newCalc(inv, t, a)
	for _, e := range inv.Entries {
		if !e.Custom {
			continue
		}
		if reason, ok := freeReason(e.Type); ok {
			c.free(e, reason)
			continue
		}
		p, ok := pricers[e.Type]
		if !ok {
			c.notPriced(e, "no price rule for this resource type")
			continue
		}
		p(c, e)
	}
	return c.estimate()
}

type rowKey struct {
	service, resource, priceKey, assumption string
}

type calc struct {
	inv   plan.Inventory
	t     Table
	a     Assumptions
	byURN map[string]plan.Entry
	// nodes is the app nodes of every Auto Scaling group, for alarms that
	// query one series per node.
	nodes   float64
	rows    map[rowKey]*Row
	frees   map[[2]string]*Free
	missing []NotPriced
}

func newCalc(inv plan.Inventory, t Table, a Assumptions) *calc {
	c := &calc{inv: inv, t: t, a: a, byURN: map[string]plan.Entry{}, rows: map[rowKey]*Row{}, frees: map[[2]string]*Free{}}
	for _, e := range inv.Entries {
		c.byURN[e.URN] = e
	}
	for _, e := range inv.Entries {
		if e.Type == asgType {
			n, _ := groupSize(e)
			c.nodes += n
		}
	}
	return c
}

// add bills qty units of the price key for entry e. A key the table lacks makes
// the part not priced instead.
func (c *calc) add(e plan.Entry, service, resource, key string, qty float64, assumption string) {
	p, ok := c.t.Prices[key]
	if !ok {
		c.notPriced(e, fmt.Sprintf("%s: no price %q in the %s table", resource, key, c.t.Region))
		return
	}
	k := rowKey{service, resource, key, assumption}
	r := c.rows[k]
	if r == nil {
		r = &Row{Service: service, Resource: resource, Unit: p.Unit, UnitUSD: p.USD, Assumption: assumption, PriceKey: key, PriceBasis: p.Basis, PriceSource: p.Source}
		c.rows[k] = r
	}
	r.Quantity += qty
	r.Resources = append(r.Resources, e.Name)
}

// hours is the monthly hours of n things running all month.
func (c *calc) hours(n float64) float64 { return n * c.a.HoursPerMonth }

func (c *calc) notPriced(e plan.Entry, reason string) {
	c.missing = append(c.missing, NotPriced{Type: e.Type, Name: e.Name, Reason: reason})
}

func (c *calc) free(e plan.Entry, reason string) {
	k := [2]string{e.Type, reason}
	f := c.frees[k]
	if f == nil {
		f = &Free{Type: e.Type, Reason: reason}
		c.frees[k] = f
	}
	f.Count++
}

func (c *calc) estimate() Estimate {
	est := Estimate{
		Project: c.inv.Project, Stack: c.inv.Stack, Region: c.t.Region,
		PriceDate: c.t.Date, PriceSource: c.t.Source, Assumptions: c.a,
		Rows: []Row{}, Services: []ServiceTotal{}, NotPriced: []NotPriced{}, Free: []Free{},
		NotEstimated: append([]string(nil), notEstimated...),
	}
	services := map[string]float64{}
	for _, r := range c.rows {
		r.MonthlyUSD = micro(r.Quantity * r.UnitUSD)
		sort.Strings(r.Resources)
		est.Rows = append(est.Rows, *r)
		services[r.Service] += r.MonthlyUSD
		est.TotalUSD += r.MonthlyUSD
	}
	sort.Slice(est.Rows, func(i, j int) bool {
		a, b := est.Rows[i], est.Rows[j]
		if a.Service != b.Service {
			return a.Service < b.Service
		}
		if a.Resource != b.Resource {
			return a.Resource < b.Resource
		}
		return a.Assumption < b.Assumption
	})
	est.TotalUSD = micro(est.TotalUSD)
	for s, usd := range services {
		est.Services = append(est.Services, ServiceTotal{Service: s, MonthlyUSD: micro(usd)})
	}
	sort.Slice(est.Services, func(i, j int) bool { return est.Services[i].Service < est.Services[j].Service })
	est.NotPriced = append(est.NotPriced, c.missing...)
	sort.SliceStable(est.NotPriced, func(i, j int) bool {
		a, b := est.NotPriced[i], est.NotPriced[j]
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		return a.Name < b.Name
	})
	for _, f := range c.frees {
		est.Free = append(est.Free, *f)
	}
	sort.Slice(est.Free, func(i, j int) bool {
		if est.Free[i].Type != est.Free[j].Type {
			return est.Free[i].Type < est.Free[j].Type
		}
		return est.Free[i].Reason < est.Free[j].Reason
	})
	return est
}

// micro rounds an amount to a millionth of a dollar: far below a cent, but
// enough to keep float noise (3245.5159999999996) out of cost.json.
func micro(v float64) float64 { return math.Round(v*1e6) / 1e6 }

// plural renders "1 instance" / "3 instances" for assumption texts.
func plural(n float64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%s %s", num(n), many)
}

// num renders a quantity without trailing zeros.
func num(v float64) string {
	s := fmt.Sprintf("%.4f", v)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}
