"""The satisfaction terminal: buttons and LEDs at a counter, every press kept through power cuts."""
