package guard

import "strings"

// digitsOnly returns the ASCII digits of s in order.
func digitsOnly(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; '0' <= c && c <= '9' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// mod11Valid applies the NHS Modulus 11 check to a 10-digit string: weights
// 10..2 on the first nine digits, 11 − (sum mod 11) is the check digit, 11
// means 0 and 10 means the number can never be issued.
func mod11Valid(d string) bool {
	if len(d) != 10 {
		return false
	}
	sum := 0
	for i := 0; i < 9; i++ {
		c := d[i]
		if c < '0' || c > '9' {
			return false
		}
		sum += int(c-'0') * (10 - i)
	}
	if d[9] < '0' || d[9] > '9' {
		return false
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	return check != 10 && check == int(d[9]-'0')
}

// ValidNHSNumber reports whether s (10 digits, spaces or hyphens allowed) has
// a valid Modulus 11 check digit and is outside the 999 test range, which is
// never issued to patients.
func ValidNHSNumber(s string) bool {
	d := digitsOnly(s)
	return mod11Valid(d) && !strings.HasPrefix(d, "999") && onlyDigitsAndSeparators(s)
}

// ValidCHINumber reports whether s is a Scottish CHI number: the first six
// digits a real DDMMYY date and a Modulus 11 check digit.
func ValidCHINumber(s string) bool {
	d := digitsOnly(s)
	return mod11Valid(d) && onlyDigitsAndSeparators(s) && validDDMMYY(d[:6])
}

// ValidHCNumber reports whether s is a Northern Ireland Health & Care number:
// Modulus 11 and within 320 000 0000–399 999 9999.
func ValidHCNumber(s string) bool {
	d := digitsOnly(s)
	return mod11Valid(d) && onlyDigitsAndSeparators(s) && d[:3] >= "320" && d[:3] <= "399"
}

func onlyDigitsAndSeparators(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9') && c != ' ' && c != '-' {
			return false
		}
	}
	return true
}

var daysIn = [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// validDDMMYY accepts 29 February in any year: the century is unknown.
func validDDMMYY(d string) bool {
	if len(d) != 6 {
		return false
	}
	day := int(d[0]-'0')*10 + int(d[1]-'0')
	month := int(d[2]-'0')*10 + int(d[3]-'0')
	return month >= 1 && month <= 12 && day >= 1 && day <= daysIn[month]
}

// ValidNINO reports whether s is a National Insurance number that HMRC could
// have issued: two prefix letters, six digits and an optional A–D suffix,
// with the prefix rules of HMRC's NIM39110.
func ValidNINO(s string) bool {
	c := strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(s))
	if len(c) != 8 && len(c) != 9 {
		return false
	}
	if strings.ContainsRune("DFIQUV", rune(c[0])) || strings.ContainsRune("DFIOQUV", rune(c[1])) {
		return false
	}
	if c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
		return false
	}
	switch c[:2] {
	case "BG", "GB", "KN", "NK", "NT", "TN", "ZZ":
		return false
	}
	for i := 2; i < 8; i++ {
		if c[i] < '0' || c[i] > '9' {
			return false
		}
	}
	return len(c) == 8 || (c[8] >= 'A' && c[8] <= 'D')
}

// ValidSSN reports whether s (9 digits, with or without separators) follows
// the Social Security Administration's issuing rules: no 000, 666 or 9xx
// area, no 00 group and no 0000 serial.
func ValidSSN(s string) bool {
	d := digitsOnly(s)
	if len(d) != 9 {
		return false
	}
	area, group, serial := d[:3], d[3:5], d[5:]
	return area != "000" && area != "666" && area[0] != '9' && group != "00" && serial != "0000"
}
