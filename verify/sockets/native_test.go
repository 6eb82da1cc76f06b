package sockets

import (
	"encoding/binary"
	"encoding/hex"
)

func putNative(b []byte, w uint32) { binary.NativeEndian.PutUint32(b, w) }

func hexs(b []byte) string { return hex.EncodeToString(b) }
