// Running one case: the pipeline under test, in a runspace of its own, on a background thread with a time limit
// (tests/Fuzz/Runner.ps1 makes the runspace and the pipeline).

namespace BoxFusion.Fuzz
{
    /// <summary>What a pipeline run gave: its output, the exception it threw, or that it did not finish in time.</summary>
    public sealed class Outcome
    {
        public Collection<PSObject> Output { get; internal set; }
        public Exception Error { get; internal set; }
        public bool TimedOut { get; internal set; }
    }

    /// <summary>
    /// Runs a pipeline on a background thread of its own (the runspace uses the calling thread), with a time limit.
    /// A pipeline that hangs is left behind on its thread, which does not keep the process from exiting.
    /// </summary>
    public static class Runner
    {
        public static Outcome Invoke(PowerShell ps, int timeoutMilliseconds)
        {
            var outcome = new Outcome();
            var thread = new Thread(() =>
            {
                try { outcome.Output = ps.Invoke(); }
                catch (Exception e) { outcome.Error = e; }
            }, 16 << 20) { IsBackground = true, Name = "BoxFusion fuzz case" };
            thread.Start();
            if (!thread.Join(timeoutMilliseconds))
            {
                outcome.TimedOut = true;
                try { ps.BeginStop(null, null); } catch (Exception) { }
            }
            return outcome;
        }
    }
}
