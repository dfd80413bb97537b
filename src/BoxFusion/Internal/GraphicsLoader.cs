using System;
using System.IO;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BoxFusion.Commands
{
    /// <summary>
    /// The one door from the cmdlets to BoxFusion.Graphics: the graphics cmdlets call <see cref="Require"/> first, so
    /// SkiaSharp and its native library load only when pictures are drawn, and a platform without them gets one clear error.
    /// </summary>
    internal static class GraphicsLoader
    {
        public static void Require(PSCmdlet cmdlet)
        {
            string problem;
            try
            {
                problem = Probe();
            }
            catch (Exception e) when (e is FileNotFoundException || e is FileLoadException || e is BadImageFormatException || e is TypeLoadException)
            {
                problem = "Pictures cannot be drawn here: a graphics library of the module does not load (" + e.Message + ").";
            }
            if (problem != null)
            {
                cmdlet.ThrowTerminatingError(Errors.Create("GraphicsUnavailable", ErrorCategory.NotInstalled, RuntimeInformation.OSDescription.Trim(),
                    problem + " The other BoxFusion cmdlets are not affected."));
            }
        }

        // Its own method, so that merely compiling Require does not load BoxFusion.Graphics.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static string Probe() => Graphics.GraphicsRuntime.EnsureLoaded();
    }
}
