import * as Patients from '../../wailsjs/go/service/PatientService';
import type { PatientInput } from './types';

export const createPatient = (p: PatientInput) => Patients.Create(p);
export const listPatients = (query: string) => Patients.List(query);
export const getPatient = (id: number) => Patients.Get(id);
