package store_test

import (
	"fmt"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/store"
	"practicepost/app/store/storetest"
)

// benchPatients is a data file with n patients, made once per benchmark.
func benchPatients(b *testing.B, n int) *store.DB {
	b.Helper()
	db := storetest.Open(b, nil)
	first := []string{"Amelia", "Oliver", "Nia", "Rhys", "Priya", "Yusuf", "Mei", "Mateo", "Chloe", "Ethan"}
	last := []string{"Penrose", "Trelawney", "Okafor", "Mensah", "Kowalski", "Lindqvist", "Haddad", "Moreau", "Fischer", "Byrne"}
	for i := range n {
		_, err := db.CreatePatient(ctx, app.Patient{
			FullName: fmt.Sprintf("%s %s-%d", first[i%10], last[(i/10)%10], i), Ref: fmt.Sprintf("P%05d", i),
			Email: fmt.Sprintf("patient%d@example.com", i), Phone: "07700 900000",
			DateOfBirth: app.CivilDate{Year: 1950 + i%60, Month: time.Month(1 + i%12), Day: 1 + i%28}})
		if err != nil {
			b.Fatal(err)
		}
	}
	return db
}

// BenchmarkPatientSearch is the Patients screen's search over 10,000
// patients with the list already opened (the usual case).
func BenchmarkPatientSearch(b *testing.B) {
	db := benchPatients(b, 10000)
	if _, err := db.ListPatients(ctx, "", 1); err != nil { // opens the list
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		ps, err := db.ListPatients(ctx, []string{"okafor", "p0421", "@example", "zzz"}[i%4], 500)
		if err != nil || (i%4 == 0 && len(ps) == 0) {
			b.Fatal(len(ps), err)
		}
	}
}

// BenchmarkPatientSearchAfterChange is the first search after a patient
// was added or changed: the whole list is read and opened again.
func BenchmarkPatientSearchAfterChange(b *testing.B) {
	db := benchPatients(b, 10000)
	p, err := db.Patient(ctx, 1)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		if _, err := db.UpdatePatient(ctx, p); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := db.ListPatients(ctx, "okafor", 500); err != nil {
			b.Fatal(err)
		}
	}
}
