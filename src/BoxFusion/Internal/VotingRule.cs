using System;

namespace BoxFusion.Commands
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

    internal static class VotingRuleExtensions
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
    }
}
