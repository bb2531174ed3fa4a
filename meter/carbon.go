package meter

import (
	"sort"
	"strings"
)

// WorldIntensity is the default carbon intensity of electricity, gCO2e/kWh: the
// world average CodeCarbon falls back to (IEA, 2019).
const WorldIntensity = 475.0

// Intensity is the carbon intensity of the electricity in one place.
type Intensity struct {
	GCO2ePerKWh float64 `json:"gco2e_per_kwh"`
	CountryISO3 string  `json:"country_iso_code,omitempty"`
	CountryISO2 string  `json:"country_iso2,omitempty"`
	CountryName string  `json:"country_name,omitempty"`
	Provider    string  `json:"cloud_provider,omitempty"` // cloud tables only: "aws", "gcp", "azure"
	Region      string  `json:"cloud_region,omitempty"`   // cloud tables only
	Source      string  `json:"source"`                   // where the figure comes from
}

const (
	countrySource = "CodeCarbon global_energy_mix.json (Our World in Data / Ember, 2021)"
	worldSource   = "world average (CodeCarbon default, IEA 2019)"
)

// countries: grid carbon intensity in gCO2e/kWh by ISO-3166 alpha-3 code, as in
// CodeCarbon's codecarbon/data/private_infra/global_energy_mix.json ("carbon_intensity",
// year 2021, compiled by Our World in Data from Ember's yearly electricity data). A
// subset: the 73 countries with the largest electricity sectors or data centres.
var countries = []struct {
	iso3, iso2, name string
	g                float64
}{
	{"ARE", "AE", "United Arab Emirates", 461.845},
	{"ARG", "AR", "Argentina", 357.786},
	{"AUS", "AU", "Australia", 531.247},
	{"AUT", "AT", "Austria", 147.573},
	{"BEL", "BE", "Belgium", 156.922},
	{"BGD", "BD", "Bangladesh", 555.914},
	{"BGR", "BG", "Bulgaria", 354.334},
	{"BRA", "BR", "Brazil", 158.592},
	{"CAN", "CA", "Canada", 128.461},
	{"CHE", "CH", "Switzerland", 47.101},
	{"CHL", "CL", "Chile", 416.881},
	{"CHN", "CN", "China", 544.355},
	{"COL", "CO", "Colombia", 181.065},
	{"CZE", "CZ", "Czechia", 405.589},
	{"DEU", "DE", "Germany", 365.477},
	{"DNK", "DK", "Denmark", 221.416},
	{"DZA", "DZ", "Algeria", 498.904},
	{"ECU", "EC", "Ecuador", 155.844},
	{"EGY", "EG", "Egypt", 464.425},
	{"ESP", "ES", "Spain", 193.863},
	{"EST", "EE", "Estonia", 481.224},
	{"FIN", "FI", "Finland", 145.541},
	{"FRA", "FR", "France", 67.39},
	{"GBR", "GB", "United Kingdom", 268.329},
	{"GRC", "GR", "Greece", 353.339},
	{"HKG", "HK", "Hong Kong", 683.972},
	{"HRV", "HR", "Croatia", 210.979},
	{"HUN", "HU", "Hungary", 233.037},
	{"IDN", "ID", "Indonesia", 623.157},
	{"IND", "IN", "India", 637.182},
	{"IRL", "IE", "Ireland", 363.608},
	{"IRN", "IR", "Iran", 492.678},
	{"ISL", "IS", "Iceland", 28.557},
	{"ISR", "IL", "Israel", 548.03},
	{"ITA", "IT", "Italy", 340.794},
	{"JPN", "JP", "Japan", 478.545},
	{"KAZ", "KZ", "Kazakhstan", 641.102},
	{"KEN", "KE", "Kenya", 86.221},
	{"KOR", "KR", "South Korea", 458.081},
	{"LKA", "LK", "Sri Lanka", 462.997},
	{"LTU", "LT", "Lithuania", 244.604},
	{"LUX", "LU", "Luxembourg", 186.992},
	{"LVA", "LV", "Latvia", 223.932},
	{"MAR", "MA", "Morocco", 610.412},
	{"MEX", "MX", "Mexico", 399.852},
	{"MYS", "MY", "Malaysia", 548.611},
	{"NGA", "NG", "Nigeria", 376.987},
	{"NLD", "NL", "Netherlands", 388.702},
	{"NOR", "NO", "Norway", 27.55},
	{"NZL", "NZ", "New Zealand", 132.427},
	{"PAK", "PK", "Pakistan", 366.052},
	{"PER", "PE", "Peru", 230.65},
	{"PHL", "PH", "Philippines", 580.908},
	{"POL", "PL", "Poland", 660.122},
	{"PRT", "PT", "Portugal", 219.053},
	{"QAT", "QA", "Qatar", 489.792},
	{"ROU", "RO", "Romania", 255.877},
	{"RUS", "RU", "Russia", 359.937},
	{"SAU", "SA", "Saudi Arabia", 571.336},
	{"SGP", "SG", "Singapore", 487.937},
	{"SRB", "RS", "Serbia", 543.565},
	{"SVK", "SK", "Slovakia", 169.589},
	{"SVN", "SI", "Slovenia", 238.614},
	{"SWE", "SE", "Sweden", 45.817},
	{"THA", "TH", "Thailand", 506.635},
	{"TUN", "TN", "Tunisia", 468.227},
	{"TUR", "TR", "Turkey", 430.401},
	{"TWN", "TW", "Taiwan", 573.275},
	{"UKR", "UA", "Ukraine", 240.175},
	{"URY", "UY", "Uruguay", 147.282},
	{"USA", "US", "United States", 379.26},
	{"VNM", "VN", "Vietnam", 448.217},
	{"ZAF", "ZA", "South Africa", 715.681},
}

// cloudRegions: gCO2e/kWh by provider and region as shipped in CodeCarbon's
// codecarbon/data/cloud/impact.csv. GCP figures are Google's published
// region-carbon values; AWS and Azure figures are the grid averages CodeCarbon
// collected (US: EPA eGRID; Europe: Moro & Lonza 2018, Transport. Res. D; Asia and
// Australia: national statistics and carbonfootprint.com 2018). They are older than
// the country table and not consistent with it; prefer Country or CarbonIntensity
// when you know better.
var cloudRegions = []struct {
	provider, region, iso3 string
	g                      float64
}{
	{"aws", "ap-northeast-1", "JPN", 516},
	{"aws", "ap-south-1", "IND", 920},
	{"aws", "ap-southeast-1", "SGP", 419},
	{"aws", "ap-southeast-2", "AUS", 802},
	{"aws", "ca-central-1", "CAN", 20},
	{"aws", "eu-central-1", "DEU", 615},
	{"aws", "eu-north-1", "SWE", 47},
	{"aws", "eu-west-1", "IRL", 617},
	{"aws", "eu-west-2", "GBR", 623},
	{"aws", "eu-west-3", "FRA", 105},
	{"aws", "sa-east-1", "BRA", 205},
	{"aws", "us-east-1", "USA", 367.8},
	{"aws", "us-east-2", "USA", 568.2},
	{"aws", "us-west-1", "USA", 240.6},
	{"aws", "us-west-2", "USA", 297.6},
	{"azure", "australiaeast", "AUS", 802},
	{"azure", "canadacentral", "CAN", 69.3},
	{"azure", "eastus", "USA", 367.8},
	{"azure", "francecentral", "FRA", 105},
	{"azure", "japaneast", "JPN", 516},
	{"azure", "northeurope", "IRL", 617},
	{"azure", "southeastasia", "SGP", 419},
	{"azure", "uksouth", "GBR", 623},
	{"azure", "westeurope", "NLD", 569},
	{"azure", "westus2", "USA", 297.6},
	{"gcp", "asia-northeast1", "JPN", 524},
	{"gcp", "asia-south1", "IND", 723},
	{"gcp", "asia-southeast1", "SGP", 478.2},
	{"gcp", "europe-north1", "FIN", 41.6},
	{"gcp", "europe-west1", "BEL", 62.7},
	{"gcp", "europe-west2", "GBR", 118.2},
	{"gcp", "europe-west3", "DEU", 124.4},
	{"gcp", "europe-west4", "NLD", 184.9},
	{"gcp", "europe-west6", "CHE", 29},
	{"gcp", "us-central1", "USA", 105.4},
	{"gcp", "us-east1", "USA", 405},
	{"gcp", "us-east4", "USA", 226},
	{"gcp", "us-west1", "USA", 12.9},
}

// CountryIntensity returns the grid carbon intensity of a country given by its
// ISO-3166 alpha-3 ("FRA") or alpha-2 ("FR") code, case-insensitive.
func CountryIntensity(code string) (Intensity, bool) {
	c := strings.ToUpper(strings.TrimSpace(code))
	for _, e := range countries {
		if c == e.iso3 || c == e.iso2 {
			return Intensity{GCO2ePerKWh: e.g, CountryISO3: e.iso3, CountryISO2: e.iso2,
				CountryName: e.name, Source: countrySource}, true
		}
	}
	return Intensity{}, false
}

// CloudIntensity returns the carbon intensity of a cloud region, for example
// ("aws", "eu-west-3") or ("gcp", "europe-west1"); case-insensitive. The provider may
// also be given as "google" or "amazon".
func CloudIntensity(provider, region string) (Intensity, bool) {
	p := strings.ToLower(strings.TrimSpace(provider))
	switch p {
	case "google", "gce":
		p = "gcp"
	case "amazon", "ec2":
		p = "aws"
	}
	r := strings.ToLower(strings.TrimSpace(region))
	for _, e := range cloudRegions {
		if p == e.provider && r == e.region {
			in := Intensity{GCO2ePerKWh: e.g, Provider: e.provider, Region: e.region,
				Source: "CodeCarbon data/cloud/impact.csv (" + e.provider + " " + e.region + ")"}
			if c, ok := CountryIntensity(e.iso3); ok {
				in.CountryISO3, in.CountryISO2, in.CountryName = c.CountryISO3, c.CountryISO2, c.CountryName
			}
			return in, true
		}
	}
	return Intensity{}, false
}

// Countries lists the ISO-3166 alpha-3 codes of the built-in country table, sorted.
func Countries() []string {
	out := make([]string, len(countries))
	for i, e := range countries {
		out[i] = e.iso3
	}
	sort.Strings(out)
	return out
}
