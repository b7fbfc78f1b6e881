"""Simulated switches for the lab: data table, live state, vendor output renderers and
the FakeNOS process that serves them over SSH (driven by ``lab.switchlab``)."""
