# Licences and provenance: the project's licence, the notices for what it reproduces, ships or builds with, and
# where the test data comes from. The lists are read from the project files, so a new dependency needs its notice.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Notices = Get-Content (Join-Path $RepoRoot 'THIRD-PARTY-NOTICES.md') -Raw -ErrorAction SilentlyContinue
}

Describe 'The licence and the third-party notices' {
    It 'has an MIT LICENSE for the BoxFusion developers' {
        $license = Get-Content (Join-Path $RepoRoot 'LICENSE') -Raw -ErrorAction SilentlyContinue
        $license | Should -Match '^MIT License'
        $license | Should -Match 'Copyright \(c\) 2026 BoxFusion developers'
    }

    It 'names the projects whose behaviour BoxFusion reproduces, with their licences' {
        $Notices | Should -Match 'cocoeval\.py'
        $Notices | Should -Match 'maskApi'
        $Notices | Should -Match 'BSD 2-Clause, Copyright \(c\) 2014, Piotr Dollar and Tsung-Yi Lin'
        $Notices | Should -Match 'ensemble-boxes.*1\.0\.9'
        $Notices | Should -Match 'MIT, Copyright \(c\) 2020 ZFTurbo \(Roman Solovyev\)'
    }

    It 'names every NuGet package of every project, and the PowerShell tool, with its version' {
        $projects = Get-ChildItem $RepoRoot -Recurse -Filter *.csproj | Where-Object FullName -NotMatch '[\\/](out|bin|obj)[\\/]'
        $projects | Should -Not -BeNullOrEmpty
        foreach ($project in $projects) {
            [xml]$xml = Get-Content $project.FullName -Raw
            foreach ($reference in $xml.SelectNodes('//PackageReference|//PackageDownload')) {
                $version = $reference.Version.Trim('[', ']')
                $Notices | Should -Match "\| $([regex]::Escape($reference.Include)) \| $([regex]::Escape($version)) \|" -Because "$($project.Name) uses $($reference.Include) $version"
            }
        }
        $tools = Get-Content (Join-Path $RepoRoot '.config/dotnet-tools.json') -Raw | ConvertFrom-Json
        foreach ($tool in $tools.tools.PSObject.Properties) {
            $Notices | Should -Match "\| $([regex]::Escape($tool.Value.version)) \|" -Because "the dotnet tool $($tool.Name) is used"
        }
    }

    It 'names every assembly the module ships that is not its own' {
        foreach ($dll in Get-ChildItem $ModulePath -Filter *.dll | Where-Object BaseName -NotLike 'BoxFusion*') {
            $Notices | Should -Match "\| $([regex]::Escape($dll.BaseName)) \|"
        }
    }

    It 'names every native library the module ships (under runtimes, per platform)' {
        $native = @(Get-ChildItem (Join-Path $ModulePath 'runtimes') -Recurse -File | Where-Object { $_.Directory.Name -eq 'native' })
        $native.Count | Should -BeGreaterThan 0 -Because 'the graphics cmdlets ship SkiaSharp''s and HarfBuzzSharp''s native libraries'
        foreach ($library in $native.BaseName | Sort-Object -Unique) {
            $Notices | Should -Match "``$([regex]::Escape($library))``" -Because "$library ships in the module folder"
        }
    }

    It 'names every package restored for the module, the transitive ones included, with its version' {
        # The restore of the cmdlet project lists every package the module is built from (the build has just run it).
        $assets = Get-Content (Join-Path $RepoRoot 'src/BoxFusion/obj/project.assets.json') -Raw | ConvertFrom-Json
        $packages = @($assets.libraries.PSObject.Properties | Where-Object { $_.Value.type -eq 'package' } | ForEach-Object Name)
        $packages.Count | Should -BeGreaterThan 0
        foreach ($package in $packages) {
            $name, $version = $package -split '/'
            $Notices | Should -Match "(\| $([regex]::Escape($name)) \| $([regex]::Escape($version)) \||\b$([regex]::Escape($name)) $([regex]::Escape($version))\b)" -Because "the module is built from $name $version"
        }
    }

    It 'ships LICENSE, THIRD-PARTY-NOTICES.md, README.md and CHANGELOG.md in the module folder' {
        foreach ($file in 'LICENSE', 'THIRD-PARTY-NOTICES.md', 'README.md', 'CHANGELOG.md') {
            Join-Path $ModulePath $file | Should -Exist
            (Get-FileHash (Join-Path $ModulePath $file)).Hash | Should -Be (Get-FileHash (Join-Path $RepoRoot $file)).Hash
        }
    }
}

Describe 'Where the test data comes from' {
    BeforeAll {
        $script:DataReadme = Get-Content (Join-Path $DataRoot 'README.md') -Raw -ErrorAction SilentlyContinue
        $script:Cases = @(Get-ChildItem $DataRoot -Directory | Where-Object { Test-Path (Join-Path $_.FullName 'manifest.json') })
    }

    It 'has fixtures with manifests' { $Cases.Count | Should -BeGreaterOrEqual 2 }

    It 'says for every fixture how its expected outputs and statistics were made' {
        foreach ($case in $Cases) {
            $DataReadme | Should -Match "(?m)^## .*\b$([regex]::Escape($case.Name))\b" -Because "tests/data/README.md needs a section on $($case.Name)"
        }
        $DataReadme | Should -Match 'ensemble-boxes 1\.0\.9'
        $DataReadme | Should -Match 'pycocotools'
    }

    It 'says in each manifest what made the data and with which options' {
        foreach ($case in $Cases) {
            $manifest = Get-Content (Join-Path $case.FullName 'manifest.json') -Raw | ConvertFrom-Json
            $manifest.generator | Should -Match '^synthetic .+ generator options: --' -Because "$($case.Name)'s generator field names the generator, then its options"
        }
    }
}
