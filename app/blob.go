package app

import ()

// Blob is stored media: a logo, a photo, a signature, a signed PDF.
type Blob struct {
	SHA256 string
	MIME   string
	Size   int
	Width  int
	Height int
	Data   []byte
}

// BlobData is a file to store with the record that uses it.
type BlobData struct {
	Data          []byte
	MIME          string
	Width, Height int
}
