// Plain shapes of what the Go services send; they mirror the json tags in
// app/ and app/service. The generated classes in wailsjs/ are used only
// inside the wrappers.

export interface BrandColors {
  primary: string;
  secondary: string;
  accent: string;
  text: string;
  background: string;
}

export interface Clinician {
  name: string;
  role: string;
  regulator: string;
  number: string;
  specialist: boolean;
}

export interface BrandKit {
  practiceName: string;
  address: string;
  phone: string;
  email: string;
  website: string;
  country: string;
  disclaimer: string;
  hashtags: string[];
  colors: BrandColors;
  headingFont: string;
  bodyFont: string;
  logoSha256: string;
  clinicians: Clinician[];
  updatedAt?: string;
}

export interface ContrastWarning {
  pair: string;
  ratio: number;
  needed: number;
  message: string;
}

export interface FontFamily {
  name: string;
  kind: string;
  regular: string;
  bold: string;
  italic: string;
  license: string;
}

export interface BrandView {
  kit: BrandKit;
  warnings: ContrastWarning[];
  fonts: FontFamily[];
  regulators: string[];
  logoUrl: string;
}

export interface BackupFile {
  path: string;
  name: string;
  size: number;
  modified: string;
  automatic: boolean;
}

export interface BackupOverview {
  folder: string;
  folderIsSet: boolean;
  autoFolder: string;
  safetyFolder: string;
  dataFile: string;
  backups: BackupFile[];
  lastBackup: string | null;
  automaticKeep: number;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  detail: Record<string, string> | null;
  prevHash: string;
  hash: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  total: number;
}

export interface VerifyResult {
  ok: boolean;
  entries: number;
  break?: { id: number; reason: string };
}

export interface SystemInfo {
  version: string;
  dataDir: string;
  logFile: string;
  openError: string;
}
