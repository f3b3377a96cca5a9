using Sequencer.Core.Wire;

namespace Sequencer.Simulation.Checking;

/// <summary>A certificate with where the checker found it and whether that place is honest.</summary>
/// <param name="Source">For reports: "wire from host 3", "decision log of host 5", "outcome at host 2".</param>
/// <param name="FromHonest">Sent, logged or reported by an honest host: then it must be valid.</param>
public readonly record struct CertificateSource(Certificate Certificate, string Source, bool FromHonest);
