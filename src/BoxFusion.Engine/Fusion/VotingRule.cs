using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace BoxFusion.Fusion
{
    /// <summary>How many models must agree on a fused box (Casado-García and Heras' ensemble strategies).</summary>
    public enum VotingRule
    {
        /// <summary>One model is enough.</summary>
        Affirmative,
        /// <summary>At least half of the models, rounded up.</summary>
        Consensus,
        /// <summary>Every model.</summary>
        Unanimous,
    }

    /// <summary>What a <see cref="VotingRule"/> means for a number of models, and the warning when no box can get the votes asked for.</summary>
    public static class VotingRuleExtensions
    {
        public static int MinVotes(this VotingRule rule, int models)
        {
            switch (rule)
            {
                case VotingRule.Consensus: return Math.Max(1, (models + 1) / 2);
                case VotingRule.Unanimous: return Math.Max(1, models);
                default: return 1;
            }
        }

        /// <summary>The warning for -MinVotes above the number of voting models: no fused box can get that many votes.</summary>
        /// <param name="weighted">The voters are the models with a positive weight (some were weighted 0).</param>
        public static string UnreachableVotes(int minVotes, IEnumerable<string> voters, bool weighted, string consequence)
        {
            var names = voters.ToList();
            return string.Format(CultureInfo.InvariantCulture,
                "-MinVotes {0} is more than the {1} models{2} ({3}): no fused box can have that many votes, so {4}.",
                minVotes, names.Count, weighted ? " with a positive weight" : "", string.Join(", ", names), consequence);
        }
    }
}
