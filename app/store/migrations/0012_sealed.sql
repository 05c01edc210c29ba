-- Patients' names are sealed (app/store/sealed.go): an index over the sealed
-- bytes orders nothing useful, and the list is searched in memory.
DROP INDEX patients_by_name;
